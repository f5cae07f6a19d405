/**
 * nginx access rules (ngx_http_access_module): `deny ADDRESS;` blocks,
 * `allow ADDRESS;` is an exception. Other directives and `#` comments hold
 * no entry. A line may hold several directives, and a directive may run
 * over several lines (nginx separates words by blanks and line breaks
 * alike, and reads on to the `;`). Each block (`server`,
 * `location /api`, …) with rules of its own is a scope, where the rules are
 * checked in order and the first that matches decides; a block without
 * rules inherits its parent's, which decide as they do there, and one whose
 * rules are all `unix:` (which match unix-socket clients only) decides on
 * its own, allowing every IP client: a scope without entries. A block
 * answered before the access phase (its own `return`, its server's) or
 * granted by another module (`satisfy any`) decides for some requests at
 * most: its rules are conditional. The lines of `map`, `geo` and the like
 * are data, not directives.
 */
import { SEMICOLON, SLASH } from '../primitives/charCodes';
import { excerpt } from '../primitives/excerpt';
import { blockName } from './blockNames';
import { countLineBreaks, type EntryRole, type Format, type TokenSink } from './format';
import { emitEverything, expected, unquotedSpan, wordIs } from './lines';
import { CLOSE_BRACE, COMMENT, forEachToken, OPEN_BRACE, WORD } from './nginxTokens';

export const nginx: Format = {
  id: 'nginx',
  label: 'nginx access rules',
  // Which block a line is in depends on the lines before it, and a directive may run over several lines.
  read: readNginx,
  evaluation: 'first-match',
};

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
 * every address left. A block's name is made unique in the file (a second
 * `server` is `server (line 12)`): nginx evaluates each block on its own,
 * however alike two are written.
 */
function readNginx(text: string, sink: TokenSink): void {
  const blocks: Block[] = [];
  /** The names of `blocks`, for `blockName`. */
  const names: string[] = [];
  const named = new Set<string>();
  const answering = answeringBlocks(text);
  const directive: Directive = { words: [], count: 0, end: 0, endLine: 0 };
  /** Ends the directive read so far: at its `;` (`terminated`), or cut short by a brace or the end of the text. */
  const end = (terminated: boolean, after: number) => {
    const block = blocks.at(-1);
    if (!block?.opaque && isAccess(text, directive)) readAccess(text, directive, terminated, after, sink, block ?? FILE_BLOCK);
    directive.count = 0;
    directive.words.length = 0;
  };
  forEachToken(text, 0, text.length, (kind, start, tokenEnd, line) => {
    if (kind === SEMICOLON) {
      end(true, tokenEnd);
    } else if (kind === OPEN_BRACE) {
      const words = directive.count === 0 ? '{' : directiveText(text, directive);
      const header: Word = directive.count === 0 ? { start, end: tokenEnd, line } : { start: directive.words[0].start, end: directive.end, line: directive.words[0].line };
      const opaque = directive.count > 0 && OPAQUE_BLOCKS.has(unquoted(text, directive.words[0]));
      end(false, start);
      let name = blockName(names, words, line);
      if (named.has(name)) name = `${name} (line ${line + 1})`;
      named.add(name);
      const outer = blocks.at(-1) ?? FILE_BLOCK;
      const own = answering.get(start);
      const satisfyAny = own?.satisfy !== undefined ? own.satisfy === 'any' : outer.satisfyAny;
      const serverReturns = outer.serverReturns || (own?.returns === true && own.server);
      blocks.push({
        name,
        header,
        opaque: opaque || outer.opaque,
        satisfyAny,
        serverReturns,
        conditional: satisfyAny || serverReturns || own?.returns === true,
      });
      names.push(name);
    } else if (kind === CLOSE_BRACE) {
      end(false, start);
      blocks.pop();
      names.pop();
    } else if (kind === WORD) {
      if (directive.words.length < 3) directive.words.push({ start, end: tokenEnd, line });
      directive.count++;
      directive.end = tokenEnd;
      directive.endLine = line;
    }
    return false;
  });
  end(false, text.length);
}

/** A block being read: its scope name, whether its directives are data (`map`, `geo`…), and whether its rules decide for only some requests. */
interface Block {
  readonly name: string;
  /** Its header (`location /api`), or its `{` alone. */
  readonly header: Word;
  readonly opaque: boolean;
  /** `satisfy any` here or inherited (no `satisfy all` since): another access module (basic auth) may grant what the rules deny. */
  readonly satisfyAny: boolean;
  /** A `return` of the server around it (or its own, for a server) answers before any location is chosen. */
  readonly serverReturns: boolean;
  /** Its rules decide for some requests at most: by `satisfyAny`, `serverReturns`, or a `return` of its own. */
  readonly conditional: boolean;
}

const HYPHEN = 0x2d;

const FILE_BLOCK: Block = { name: '', header: { start: 0, end: 0, line: 0 }, opaque: false, satisfyAny: false, serverReturns: false, conditional: false };

/** Blocks whose lines are data, not directives: `geo $bad { 1.2.3.0/24 1; }`, `map $x $y { deny 403; }`. */
const OPAQUE_BLOCKS = new Set(['map', 'geo', 'split_clients', 'types', 'charset_map', 'match']);

/** What a block says of its own that answers or grants before its access rules: `return` (answered in the rewrite phase, before the access phase runs), `satisfy`. */
interface Answering {
  readonly server: boolean;
  returns: boolean;
  satisfy?: 'any' | 'all';
}

/** Each block's `Answering`, by the offset of its `{`: read first, as `return` and `satisfy` may follow the rules. */
function answeringBlocks(text: string): Map<number, Answering> {
  const blocks = new Map<number, Answering>();
  if (!text.includes('return') && !text.includes('satisfy')) return blocks;
  const open: Answering[] = [];
  const words: string[] = [];
  forEachToken(text, 0, text.length, (kind, start, end) => {
    if (kind === WORD) {
      if (words.length < 2) words.push(unquoted(text, { start, end }));
    } else if (kind === OPEN_BRACE) {
      const block: Answering = { server: words[0] === 'server', returns: false };
      open.push(block);
      blocks.set(start, block);
      words.length = 0;
    } else if (kind === CLOSE_BRACE) {
      open.pop();
      words.length = 0;
    } else if (kind === SEMICOLON) {
      const block = open.at(-1);
      if (block !== undefined && words[0] === 'return') block.returns = true;
      if (block !== undefined && words[0] === 'satisfy') block.satisfy = words[1] === 'any' ? 'any' : 'all';
      words.length = 0;
    }
    return false;
  });
  return blocks;
}

/** A word without the quotes around it, if it has them: nginx takes `"deny"` as `deny`. */
function unquoted(text: string, { start, end }: { readonly start: number; readonly end: number }): string {
  return text.slice(...unquotedSpan(text, start, end));
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
  forEachToken(text, 0, text.length, (kind, tokenStart, tokenEnd, line) => {
    if (kind === WORD || kind === SEMICOLON) {
      if (kind === WORD && start < 0) [start, startLine] = [tokenStart, line];
      if (start >= 0) [end, endLine] = [tokenEnd, line + (kind === WORD ? countLineBreaks(text, tokenStart, tokenEnd) : 0)];
      if (kind === SEMICOLON) close();
    } else if (kind !== COMMENT) {
      close();
    }
    return false;
  });
  close();
  return spans;
}

/** Whether the directive is `allow` or `deny` (quoted or not, as nginx takes either). */
function isAccess(text: string, { words, count }: Directive): boolean {
  if (count === 0) return false;
  const [start, end] = unquotedSpan(text, words[0].start, words[0].end);
  return wordIs(text, start, end, 'deny') || wordIs(text, start, end, 'allow');
}

/** The directive's words as written, lines (and their comments) joined by a blank: a block's name, `location /api`. */
function directiveText(text: string, directive: Directive): string {
  const written = text.slice(directive.words[0].start, directive.end);
  return directive.endLine === directive.words[0].line ? written : written.replace(/\s*(?:#[^\r\n]*)?[\r\n]\s*/g, ' ');
}

/** `deny ADDRESS;` (or `allow`), once read to its `;`, or cut short before one (`after`: past the `;`, or where it was cut short), in `block`. */
function readAccess(text: string, directive: Directive, terminated: boolean, after: number, sink: TokenSink, block: Block): void {
  const [name, arg, next] = directive.words;
  const nameText = unquoted(text, name);
  const role: EntryRole = nameText === 'deny' ? 'block' : 'allow';
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
  const [tokenStart, tokenEnd] = unquotedSpan(text, arg.start, arg.end);
  const meaning = { role, scope: block.name, ...(block.conditional ? { conditional: true } : {}) };
  if (wordIs(text, tokenStart, tokenEnd, 'all')) {
    emitEverything(sink, tokenStart, tokenEnd, arg.line, meaning);
  } else if (text.startsWith('unix:', tokenStart)) {
    if (tokenEnd > tokenStart + 5) expected(sink, tokenStart, tokenEnd, arg.line, `"unix:" alone: nginx refuses a path after it ("invalid parameter")`);
    // A block with rules of its own inherits none (ngx_http_access_merge_loc_conf), a unix: rule's included: its IP clients pass unless its other rules say otherwise.
    else sink.scopeFact({ kind: 'declare', scope: block.name, evaluation: 'first-match', start: block.header.start, end: block.header.end, standing: true }, block.header.line);
  } else if (!isAddressOrCidr(text, tokenStart, tokenEnd)) {
    expected(sink, tokenStart, tokenEnd, arg.line, `an address or a CIDR after "${nameText}": nginx refuses a range or a netmask ("invalid parameter"); write the range as CIDRs`);
  } else {
    sink.entry(tokenStart, tokenEnd, arg.line, undefined, meaning);
  }
}

/** Whether a word may be an address or CIDR as nginx reads them (no range `a-b`, no netmask `/255.0.0.0`); what it holds is checked as an entry. */
function isAddressOrCidr(text: string, start: number, end: number): boolean {
  let slash = false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === HYPHEN || (slash && (c < 0x30 || c > 0x39))) return false;
    if (c === SLASH) slash = true;
  }
  return true;
}
