/**
 * nginx's configuration tokens, as its parser (`ngx_conf_read_token`) reads
 * them: the reader of access rules and the fixes that rewrite a line's
 * directives split a text alike.
 */
import { CR, HASH, LF, SEMICOLON } from '../primitives/charCodes';
import { isBlank } from '../document/entry';
import { countLineBreaks, nextLineBreak } from './format';
import { APOSTROPHE, BACKSLASH, QUOTE } from './lines';

export const OPEN_BRACE = 0x7b;
export const CLOSE_BRACE = 0x7d;
const DOLLAR = 0x24;

/** What a token is: a word (a quoted string whole), a comment, or the `;`, `{` or `}` it is. */
export type TokenKind = typeof WORD | typeof COMMENT | typeof SEMICOLON | typeof OPEN_BRACE | typeof CLOSE_BRACE;
export const WORD = 0;
export const COMMENT = 1;

/**
 * nginx's tokens of `text[from, to)` in order, as its configuration parser
 * (`ngx_conf_read_token`) reads them, with the zero-based line each starts
 * on, counted from `from`: blanks and line breaks separate them; `;`, `{`
 * and `}` stand alone where a token starts; a `#` there comments out the
 * rest of its line; a quote there opens a string that runs, over lines if
 * need be, to its closing quote (`\\` escapes); any other word runs to a
 * blank, a line break, `;` or `{` (a `{` right after `$` is a variable's,
 * `${name}`, and a quote or `}` inside a word is part of it). `visit`
 * returns true to stop.
 */
export function forEachToken(text: string, from: number, to: number, visit: (kind: TokenKind, start: number, end: number, line: number) => boolean): void {
  let line = 0;
  for (let i = from; i < to;) {
    const c = text.charCodeAt(i);
    if (c === LF || c === CR) {
      line++;
      i += c === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
      continue;
    }
    if (isBlank(c)) {
      i++;
      continue;
    }
    let kind: TokenKind = WORD;
    let end: number;
    if (c === SEMICOLON || c === OPEN_BRACE || c === CLOSE_BRACE) {
      kind = c;
      end = i + 1;
    } else if (c === HASH) {
      kind = COMMENT;
      end = nextLineBreak(text, i, to);
    } else {
      end = c === QUOTE || c === APOSTROPHE ? quotedEnd(text, i, to) : wordEnd(text, i, to);
    }
    if (visit(kind, i, end, line)) return;
    if (kind === WORD) line += countLineBreaks(text, i, end);
    i = end;
  }
}

/** The end of a quoted string opened at `i`: past its closing quote, or `to`. */
function quotedEnd(text: string, i: number, to: number): number {
  const quote = text.charCodeAt(i);
  for (i++; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) i++;
    else if (c === quote) return i + 1;
  }
  return to;
}

/** The end of an unquoted word starting at `i`: a blank, a line break, `;` or `{` (not a `{` right after `$`); `\\` escapes the character after it. */
function wordEnd(text: string, i: number, to: number): number {
  let variable = false;
  for (; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === OPEN_BRACE && variable) continue;
    variable = c === DOLLAR;
    if (c === BACKSLASH) i++;
    else if (isBlank(c) || c === LF || c === CR || c === SEMICOLON || c === OPEN_BRACE) return i;
  }
  return Math.min(i, to);
}
