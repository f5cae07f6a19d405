/**
 * nginx access rules (ngx_http_access_module): `deny ADDRESS;` blocks,
 * `allow ADDRESS;` is an exception. Other directives and `#` comments hold
 * no entry. A line may hold several directives. Each block (`server`,
 * `location /api`, …) with rules of its own is a scope, where the rules are
 * checked in order and the first that matches decides; a block without
 * rules inherits its parent's, which decide as they do there.
 */
import { HASH, SEMICOLON } from '../primitives/charCodes';
import { isBlank } from '../document/entry';
import { blockName } from './blockNames';
import type { EntryRole, Format, TokenSink } from './format';
import { emitEverything, expected, lineReader, skipBlanks, trimEnd, wordIs } from './lines';

export const nginx: Format = {
  id: 'nginx',
  label: 'nginx access rules',
  // Which block a line is in depends on the lines before it.
  read: (text, sink) => {
    const blocks: string[] = [];
    lineReader((text, start, end, line, sink) => readLine(text, start, end, line, sink, blocks), 'line')(text, sink);
  },
  evaluation: 'first-match',
};

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const QUOTE = 0x22;
const APOSTROPHE = 0x27;

/**
 * The directives of one line, in the block `blocks` says (the names of the
 * blocks open, which a `{` or `}` changes). `deny all;` and `allow all;` are
 * two entries on the word, 0.0.0.0/0 and ::/0, since nginx's `all` matches
 * both families; in order, `allow all;` decides every address left.
 */
function readLine(text: string, start: number, end: number, line: number, sink: TokenSink, blocks: string[]): void {
  let i = start;
  let directive = -1; // where the directive a `{` may open starts
  while (i < end) {
    i = skipBlanks(text, i, end);
    const c = text.charCodeAt(i);
    if (i >= end || c === HASH) return;
    if (c === OPEN_BRACE) {
      blocks.push(blockName(blocks, directive < 0 ? '{' : text.slice(directive, trimEnd(text, directive, i)), line));
      directive = -1;
      i++;
      continue;
    }
    if (c === CLOSE_BRACE || c === SEMICOLON) {
      if (c === CLOSE_BRACE) blocks.pop();
      directive = -1;
      i++;
      continue;
    }
    const nameEnd = wordEnd(text, i, end);
    const deny = wordIs(text, i, nameEnd, 'deny');
    if (!deny && !wordIs(text, i, nameEnd, 'allow')) {
      directive = i;
      i = directiveEnd(text, nameEnd, end);
      continue;
    }
    i = readAccess(text, i, nameEnd, end, line, sink, deny ? 'block' : 'allow', blocks.at(-1) ?? '');
  }
}

/** `deny ADDRESS;` from its name on; returns where the next directive may start. */
function readAccess(text: string, nameStart: number, nameEnd: number, end: number, line: number, sink: TokenSink, role: EntryRole, scope: string): number {
  const name = text.slice(nameStart, nameEnd);
  const argStart = skipBlanks(text, nameEnd, end);
  const argEnd = wordEnd(text, argStart, end);
  const after = skipBlanks(text, argEnd, end);
  if (argStart === argEnd || text.charCodeAt(argStart) === HASH) {
    expected(sink, nameStart, argEnd, line, `an address after "${name}", as in "${name} 192.0.2.0/24;"`);
    return directiveEnd(text, argStart, end);
  }
  if (text.charCodeAt(after) !== SEMICOLON) {
    const rest = after < end && text.charCodeAt(after) !== HASH;
    expected(
      sink,
      nameStart,
      rest ? directiveEnd(text, after, end) : argEnd,
      line,
      rest ? `one address in "${name}", then ";"` : `";" after "${text.slice(nameStart, argEnd)}": nginx reads on to the next ";"`,
    );
    return directiveEnd(text, after, end);
  }
  let [tokenStart, tokenEnd] = [argStart, argEnd];
  const quote = text.charCodeAt(argStart);
  if ((quote === QUOTE || quote === APOSTROPHE) && argEnd - argStart >= 2 && text.charCodeAt(argEnd - 1) === quote) {
    tokenStart++;
    tokenEnd--;
  }
  if (wordIs(text, tokenStart, tokenEnd, 'all')) {
    emitEverything(sink, tokenStart, tokenEnd, line, { role, scope });
  } else if (!text.startsWith('unix:', tokenStart)) {
    sink.entry(tokenStart, tokenEnd, line, undefined, { role, scope });
  }
  return after + 1;
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

/** Past the `;` (or before the `{` or `}`) that ends the directive at `i`, skipping quoted strings and stopping at a comment. */
function directiveEnd(text: string, i: number, end: number): number {
  while (i < end) {
    i = skipBlanks(text, i, end);
    const c = text.charCodeAt(i);
    if (c === SEMICOLON) return i + 1;
    if (c === OPEN_BRACE || c === CLOSE_BRACE) return i;
    if (c === HASH) return end;
    i = Math.max(wordEnd(text, i, end), i + 1);
  }
  return end;
}
