/**
 * File text as a message quotes it: a short excerpt, every invisible or
 * controlling character shown as an escape. Messages reach terminals (the
 * CLI), editors (LSP) and reports (JSON, SARIF); a raw ESC, BEL or bidi
 * override there would act on the reader's screen instead of being read,
 * and a 50 MB line would be echoed whole.
 */
import { formatCount } from './formatCount';

/** The most characters an excerpt shows (escapes included) before it is cut. */
export const EXCERPT_LENGTH = 40;

/**
 * Controls (C0, DEL, C1), format characters (bidi overrides and isolates,
 * zero-width characters, the BOM), line and paragraph separators, and lone
 * surrogates, which would not survive encoding as UTF-8.
 */
const ESCAPED = /^[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]$/u;

/** `text[start, end)` in double quotes, escaped; a longer text is cut: `"1.2.3.4xxx…" (52,428,800 characters)`. */
export function quote(text: string, start = 0, end = text.length): string {
  const { shown, cut } = shorten(text, start, end);
  return cut ? `"${shown}…" (${length(start, end)})` : `"${shown}"`;
}

/** `text[start, end)` escaped and cut as by `quote`, without the quotes: for text that reads as a number or address, as `Octet 0010`. */
export function excerpt(text: string, start = 0, end = text.length): string {
  const { shown, cut } = shorten(text, start, end);
  return cut ? `${shown}… (${length(start, end)})` : shown;
}

/** `\x1b`, `\u202e`, `\u{e0001}`: a code point as JavaScript would write it. */
function escapeCodePoint(point: number): string {
  const hex = point.toString(16);
  return point < 0x100 ? `\\x${hex.padStart(2, '0')}` : point < 0x10000 ? `\\u${hex.padStart(4, '0')}` : `\\u{${hex}}`;
}

/** As much of `text[start, end)` as fits in EXCERPT_LENGTH characters once escaped, never half a character or escape. */
function shorten(text: string, start: number, end: number): { shown: string; cut: boolean } {
  let shown = '';
  let i = start;
  while (i < end) {
    const point = text.codePointAt(i) ?? 0;
    // A pair split by `end` is read as the lone surrogate it is within the excerpt.
    const width = point > 0xffff && i + 1 < end ? 2 : 1;
    const character = text.slice(i, i + width);
    const piece = ESCAPED.test(character) ? escapeCodePoint(width === 2 ? point : text.charCodeAt(i)) : character;
    if (shown.length + piece.length > EXCERPT_LENGTH) break;
    shown += piece;
    i += width;
  }
  return { shown, cut: i < end };
}

function length(start: number, end: number): string {
  return `${formatCount(end - start)} characters`;
}
