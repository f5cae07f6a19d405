/**
 * nginx access rules (ngx_http_access_module): `deny ADDRESS;` blocks,
 * `allow ADDRESS;` is an exception. Other directives and `#` comments hold
 * no entry. A line may hold several directives, and a directive may run
 * over several lines (nginx separates words by blanks and line breaks
 * alike, and reads on to the `;`). Each block (`server`,
 * `location /api`, …) with rules of its own is a scope, where the rules are
 * checked in order and the first that matches decides; a block without
 * rules inherits its parent's, which decide as they do there.
 */
import { HASH, SEMICOLON } from '../primitives/charCodes';
import { excerpt } from '../primitives/excerpt';
import { isBlank } from '../document/entry';
import { blockName } from './blockNames';
import { forEachLine, type EntryRole, type Format, type TokenSink } from './format';
import { emitEverything, expected, skipBlanks, wordIs } from './lines';

export const nginx: Format = {
  id: 'nginx',
  label: 'nginx access rules',
  // Which block a line is in depends on the lines before it, and a directive may run over several lines.
  read: readNginx,
  evaluation: 'first-match',
};

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const QUOTE = 0x22;
const APOSTROPHE = 0x27;

/** A word of a directive: where it stands, and on which line. */
interface Word {
  readonly start: number;
  readonly end: number;
  readonly line: number;
}

/**
 * The directive being read: its first three words (a name and what
 * `allow`/`deny` need to be judged), how many it has, and where the last
 * ends. Blanks, line breaks and comments separate words alike, so a
 * directive runs on over lines up to its `;`.
 */
interface Directive {
  readonly words: Word[];
  count: number;
  end: number;
  /** The line of the last word. */
  endLine: number;
}

/**
 * The directives of the text, word by word as nginx reads them, in the
 * blocks the `{` and `}` open and close (`blocks`: their names). `deny
 * all;` and `allow all;` are two entries on the word, 0.0.0.0/0 and ::/0,
 * since nginx's `all` matches both families; in order, `allow all;` decides
 * every address left.
 */
function readNginx(text: string, sink: TokenSink): void {
  const blocks: string[] = [];
  const directive: Directive = { words: [], count: 0, end: 0, endLine: 0 };
  /** Ends the directive read so far: at its `;` (`terminated`), or cut short by a brace or the end of the text. */
  const end = (terminated: boolean, after: number) => {
    if (isAccess(text, directive)) readAccess(text, directive, terminated, after, sink, blocks.at(-1) ?? '');
    directive.count = 0;
    directive.words.length = 0;
  };
  forEachToken(text, (c, start, tokenEnd, line) => {
    if (c === SEMICOLON) {
      end(true, tokenEnd);
    } else if (c === OPEN_BRACE) {
      const name = directive.count === 0 ? '{' : directiveText(text, directive);
      end(false, start);
      blocks.push(blockName(blocks, name, line));
    } else if (c === CLOSE_BRACE) {
      end(false, start);
      blocks.pop();
    } else {
      if (directive.words.length < 3) directive.words.push({ start, end: tokenEnd, line });
      directive.count++;
      directive.end = tokenEnd;
      directive.endLine = line;
    }
  });
  end(false, text.length);
}

/** What a token is: a word, or the `;`, `{` or `}` it is. */
type TokenKind = typeof WORD | typeof SEMICOLON | typeof OPEN_BRACE | typeof CLOSE_BRACE;
const WORD = 0;

/** nginx's tokens in order, as its configuration parser reads them: words (quoted strings whole), `;`, `{` and `}`; a `#` that starts a token comments out the rest of its line. */
function forEachToken(text: string, visit: (kind: TokenKind, start: number, end: number, line: number) => void): void {
  forEachLine(text, (lineStart, lineEnd, line) => {
    for (let i = skipBlanks(text, lineStart, lineEnd); i < lineEnd; i = skipBlanks(text, i, lineEnd)) {
      const c = text.charCodeAt(i);
      if (c === HASH) return;
      const punctuation = c === SEMICOLON || c === OPEN_BRACE || c === CLOSE_BRACE;
      const end = punctuation ? i + 1 : Math.max(wordEnd(text, i, lineEnd), i + 1);
      visit(punctuation ? c : WORD, i, end, line);
      i = end;
    }
  });
}

/**
 * The directives that run over several lines (`deny` on one line, its
 * address on the next): start and end pairs, in order. Each ends past its
 * `;`, or at its last word when a brace or the end of the text cuts it
 * short. The fixes rewrite the lines such a directive joins as one.
 */
export function multilineDirectives(text: string): number[] {
  const spans: number[] = [];
  let [start, startLine, end, endLine] = [-1, 0, 0, 0];
  const close = () => {
    if (start >= 0 && endLine > startLine) spans.push(start, end);
    start = -1;
  };
  forEachToken(text, (kind, tokenStart, tokenEnd, line) => {
    if (kind === WORD || kind === SEMICOLON) {
      if (kind === WORD && start < 0) [start, startLine] = [tokenStart, line];
      if (start >= 0) [end, endLine] = [tokenEnd, line];
      if (kind === SEMICOLON) close();
    } else {
      close();
    }
  });
  close();
  return spans;
}

/** Whether the directive is `allow` or `deny`. */
function isAccess(text: string, { words, count }: Directive): boolean {
  return count > 0 && (wordIs(text, words[0].start, words[0].end, 'deny') || wordIs(text, words[0].start, words[0].end, 'allow'));
}

/** The directive's words as written, lines (and their comments) joined by a blank: a block's name, `location /api`. */
function directiveText(text: string, directive: Directive): string {
  const written = text.slice(directive.words[0].start, directive.end);
  return directive.endLine === directive.words[0].line ? written : written.replace(/\s*(?:#[^\r\n]*)?[\r\n]\s*/g, ' ');
}

/** `deny ADDRESS;` (or `allow`), once read to its `;`, or cut short before one (`after`: past the `;`, or where it was cut short). */
function readAccess(text: string, directive: Directive, terminated: boolean, after: number, sink: TokenSink, scope: string): void {
  if (!isAccess(text, directive)) return;
  const [name, arg, next] = directive.words;
  const role: EntryRole = wordIs(text, name.start, name.end, 'deny') ? 'block' : 'allow';
  const nameText = text.slice(name.start, name.end);
  if (arg === undefined) {
    expected(sink, name.start, name.end, name.line, `an address after "${nameText}", as in "${nameText} 192.0.2.0/24;"`);
    return;
  }
  if (!terminated || (next !== undefined && next.line > arg.line)) {
    // The `;` missing at the end of its line (or of the text): nginx reads the next lines as more of this directive.
    expected(sink, name.start, arg.end, name.line, `";" after "${nameText} ${excerpt(text, arg.start, arg.end)}": nginx reads on to the next ";"`);
    return;
  }
  if (next !== undefined) {
    expected(sink, name.start, after, name.line, `one address in "${nameText}", then ";"`);
    return;
  }
  let [tokenStart, tokenEnd] = [arg.start, arg.end];
  const quote = text.charCodeAt(arg.start);
  if ((quote === QUOTE || quote === APOSTROPHE) && arg.end - arg.start >= 2 && text.charCodeAt(arg.end - 1) === quote) {
    tokenStart++;
    tokenEnd--;
  }
  if (wordIs(text, tokenStart, tokenEnd, 'all')) {
    emitEverything(sink, tokenStart, tokenEnd, arg.line, { role, scope });
  } else if (!text.startsWith('unix:', tokenStart)) {
    sink.entry(tokenStart, tokenEnd, arg.line, undefined, { role, scope });
  }
}

/** The end of an nginx word: a blank, `;`, `{` or `}` outside quotes. */
function wordEnd(text: string, i: number, end: number): number {
  let quote = 0;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (quote) {
      if (c === 0x5c) i++;
      else if (c === quote) quote = 0;
    } else if (c === QUOTE || c === APOSTROPHE) {
      quote = c;
    } else if (isBlank(c) || c === SEMICOLON || c === OPEN_BRACE || c === CLOSE_BRACE) {
      return i;
    }
  }
  return end;
}
