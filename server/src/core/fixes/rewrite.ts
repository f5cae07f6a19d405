/**
 * Writing a new set of addresses in place of one entry, in the entry's own
 * format: more lines like the entry's line (keeping its comment on the first
 * one) for line formats, or more tokens in the entry's list for formats that
 * list several addresses on a line.
 */
import type { AddressSet } from '../addresses/addressSet';
import type { BlocklistDocument } from '../document/document';
import { formatIPv4 } from '../addresses/ipv4';
import type { FormatId } from '../formats/format';
import { lineStartOf } from '../formats/format';

export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}

/** How a format lists several entries: one a line, or joined inside a line. */
const SEPARATOR: Partial<Record<FormatId, string>> = {
  apache: ' ',
  iptables: ',',
  nftables: ', ',
  pf: ', ',
  'hosts-deny': ', ',
  'registry-csv': ' | ',
};

/** Formats that cannot write a CIDR and take ranges instead. */
const RANGE_WRITERS: Partial<Record<FormatId, (first: number, last: number) => string>> = {
  p2p: (first, last) => `${formatIPv4(first)}-${formatIPv4(last)}`,
  'ipcat-csv': (first, last) => `${formatIPv4(first)},${formatIPv4(last)}`,
  'ipfilter-dat': (first, last) => `${padded(first)} - ${padded(last)}`,
};

/** Where a line's comment starts, per format; `#` after a blank everywhere, and `;` in Spamhaus DROP and plain lists. */
const COMMENT = /\s(#|\/\/).*$/;
const COMMENT_OR_SEMICOLON = /\s(#|;|\/\/).*$/;

/** The entries a set is written as, in the format's own notation. */
export function entryTexts<A extends number | bigint>(formatId: FormatId, set: AddressSet<A>): string[] {
  const texts: string[] = [];
  const rangeWriter = RANGE_WRITERS[formatId];
  if (rangeWriter && set.family.version === 4) {
    set.forEachRange((first, last) => texts.push(rangeWriter(first as number, last as number)));
    return texts;
  }
  set.forEachCidr((network, prefix) => texts.push(prefix === set.family.bits ? set.family.format(network) : `${set.family.format(network)}/${prefix}`));
  return texts;
}

/** The edit that puts `texts` where entry k stands (removes the entry when `texts` is empty). */
export function replaceEntry(document: BlocklistDocument, k: number, texts: readonly string[]): TextEdit {
  const { text, format, entries } = document;
  const start = entries.start[k];
  const end = entries.end[k];
  const separator = SEPARATOR[format.id];
  if (separator !== undefined) {
    if (texts.length > 0) return { start, end, newText: texts.join(separator) };
    return removeFromList(text, start, end);
  }
  const lineStart = lineStartOf(text, start);
  const newline = text.indexOf('\n', end);
  const lineEnd = newline < 0 ? text.length : newline;
  const contentEnd = text.charCodeAt(lineEnd - 1) === 0x0d ? lineEnd - 1 : lineEnd;
  if (texts.length === 0) {
    // The whole line and its line break (or the break before it, on the last line).
    return newline >= 0
      ? { start: lineStart, end: newline + 1, newText: '' }
      : { start: Math.max(0, lineStart - (text[lineStart - 2] === '\r' ? 2 : 1)), end: contentEnd, newText: '' };
  }
  const before = text.slice(lineStart, start);
  const after = text.slice(end, contentEnd);
  const plainAfter = after.replace(format.id === 'plain' || format.id === 'spamhaus-drop' ? COMMENT_OR_SEMICOLON : COMMENT, '').trimEnd();
  const eol = text.charCodeAt(lineEnd - 1) === 0x0d ? '\r\n' : '\n';
  const lines = texts.map((entry, n) => before + entry + (n === 0 ? after : plainAfter));
  return { start: lineStart, end: contentEnd, newText: lines.join(eol) };
}

/** Takes a token out of a list on a line, with one of the separators around it. */
function removeFromList(text: string, start: number, end: number): TextEdit {
  const after = /^\s*[,|]\s*/.exec(text.slice(end, end + 8));
  if (after) return { start, end: end + after[0].length, newText: '' };
  const before = /\s*[,|]\s*$/.exec(text.slice(Math.max(0, start - 8), start));
  if (before) return { start: start - before[0].length, end, newText: '' };
  const blank = /^[ \t]+/.exec(text.slice(end, end + 8));
  return { start, end: end + (blank ? blank[0].length : 0), newText: '' };
}

function padded(address: number): string {
  return formatIPv4(address)
    .split('.')
    .map((octet) => octet.padStart(3, '0'))
    .join('.');
}

/** Applies non-overlapping edits to a text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start);
  // The protocol forbids overlapping edits in one change: one here is a bug, not something to apply in some order.
  for (let n = 1; n < sorted.length; n++) {
    if (sorted[n].end > sorted[n - 1].start) throw new Error(`Overlapping edits at offsets ${sorted[n].start}-${sorted[n].end} and ${sorted[n - 1].start}-${sorted[n - 1].end}.`);
  }
  let result = text;
  for (const edit of sorted) result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  return result;
}
