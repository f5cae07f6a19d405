/**
 * Plain lists: one entry a line (address, CIDR, netmask, glob or range), with
 * `#`, `;` and `//` comments on their own lines or after the entry. FireHOL
 * .netset/.ipset files and stripped Spamhaus DROP lists are of this shape.
 */
import { isBlank } from '../entry';
import { forEachLine, type FormatReader } from './format';

const HASH = 0x23;
const SEMICOLON = 0x3b;
const SLASH = 0x2f;
const DASH = 0x2d;

export const readPlainList: FormatReader = (text, sink) => {
  forEachLine(text, (lineStart, lineEnd, line) => {
    let start = lineStart;
    while (start < lineEnd && isBlank(text.charCodeAt(start))) start++;
    let end = commentStart(text, start, lineEnd);
    while (end > start && isBlank(text.charCodeAt(end - 1))) end--;
    if (end === start) return;

    const tokenEnd = firstBlank(text, start, end);
    if (tokenEnd === end || isSpacedRange(text, tokenEnd, end)) {
      sink.entry(start, end, line);
      return;
    }
    let extra = tokenEnd;
    while (isBlank(text.charCodeAt(extra))) extra++;
    sink.problem(
      {
        code: 'invalid-entry',
        start: extra,
        end,
        message: `Unexpected text after the entry: "${text.slice(extra, end)}". Put comments after "#", one entry a line.`,
      },
      line,
    );
  });
};

/** Where a comment begins (`#`, `;`, or `//` not inside a CIDR), or `end`. */
function commentStart(text: string, start: number, end: number): number {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === HASH || c === SEMICOLON) return i;
    if (c === SLASH && text.charCodeAt(i + 1) === SLASH && i + 1 < end) return i;
  }
  return end;
}

function firstBlank(text: string, start: number, end: number): number {
  let i = start;
  while (i < end && !isBlank(text.charCodeAt(i))) i++;
  return i;
}

/** `a - b`: blanks around the dash of a range, and nothing else. */
function isSpacedRange(text: string, tokenEnd: number, end: number): boolean {
  const rest = text.slice(tokenEnd, end).trim();
  const dashBefore = text.charCodeAt(tokenEnd - 1) === DASH;
  if (dashBefore) return !/\s/.test(rest);
  return rest.charCodeAt(0) === DASH && !/\s/.test(rest.slice(1).trim());
}
