/**
 * Apache's configuration lines, as ap_cfg_getline reads them: a backslash
 * right before a line break (`\n` or `\r\n`) joins the next line to it, both
 * taken out, whatever the line holds (a comment's too). Where no blank stands
 * on either side of such a joint, the words on each side are one word
 * (`1.2.3.4\` then `5.6.7.8` is `1.2.3.45.6.7.8` to Apache).
 */
import { CR, LF } from '../primitives/charCodes';
import { isBlank } from '../document/entry';
import { forEachLine, lineContentEnd, lineStartOf, nextLineStart } from './format';
import { BACKSLASH, skipBlanks, wordEnd } from './lines';

/** The length of the joint at `i` (the backslash, the line break after it), or 0 where none is. */
function jointLength(text: string, i: number): number {
  if (text.charCodeAt(i) !== BACKSLASH) return 0;
  if (text.charCodeAt(i + 1) === LF) return 2;
  return text.charCodeAt(i + 1) === CR && text.charCodeAt(i + 2) === LF ? 3 : 0;
}

/**
 * Calls `visit(start, end, line, joints)` for each of Apache's lines of
 * `text`: from its first physical line's start to its last one's end, the
 * zero-based line it starts on, and where its joints' backslashes stand
 * (`joints` is reused, and empty for most lines).
 */
export function forEachConfigLine(text: string, visit: (start: number, end: number, line: number, joints: readonly number[]) => void): void {
  const joints: number[] = [];
  let first = -1;
  let firstLine = 0;
  forEachLine(text, (start, end, line) => {
    if (first < 0) [first, firstLine] = [start, line];
    if (end > start && jointLength(text, end - 1) > 0) {
      joints.push(end - 1);
      return;
    }
    visit(first, end, firstLine, joints);
    first = -1;
    joints.length = 0;
  });
  // A line joined to the end of the file.
  if (first >= 0) visit(first, text.length, firstLine, joints);
}

/** Past the blanks, and the joints among them, from `i` (`joints`: those of the line, as forEachConfigLine gives them). */
export function skipConfigBlanks(text: string, joints: readonly number[], i: number, end: number): number {
  for (;;) {
    i = skipBlanks(text, i, end);
    const joint = joints.length > 0 && i < end ? jointLength(text, i) : 0;
    if (joint === 0) return i;
    i += joint;
  }
}

/** The end of the word at `i`: at a joint, on into the next line when no blank stands on either side. */
export function configWordEnd(text: string, joints: readonly number[], i: number, end: number): number {
  for (let n = 0; ; n++) {
    while (n < joints.length && joints[n] < i) n++;
    const stop = n < joints.length && joints[n] < end ? joints[n] : end;
    const w = wordEnd(text, i, stop);
    if (w < stop || stop === end) return w;
    const next = stop + jointLength(text, stop);
    if (next >= end || isBlank(text.charCodeAt(next))) return w;
    i = next;
  }
}

/** How many of `joints` stand before `offset`: the lines an offset is past its line's first. */
export function jointsBefore(joints: readonly number[], offset: number): number {
  let n = 0;
  while (n < joints.length && joints[n] < offset) n++;
  return n;
}

/** text[start, end) as Apache reads it, its joints taken out (for messages). */
export function withoutJoints(text: string, start: number, end: number): string {
  return text.slice(start, end).replace(/\\\r?\n/g, '');
}

/** The whole of Apache's line around `offset`: its physical lines joined, and its joints. */
export function configLineAround(text: string, offset: number): { readonly start: number; readonly end: number; readonly joints: readonly number[] } {
  let start = lineStartOf(text, offset);
  while (start > 0) {
    const before = lineStartOf(text, start - 1);
    const end = lineContentEnd(text, before, start);
    if (end === before || jointLength(text, end - 1) === 0) break;
    start = before;
  }
  const joints: number[] = [];
  for (let at = start; ;) {
    const next = nextLineStart(text, at);
    const end = lineContentEnd(text, at, next);
    if (end === at || jointLength(text, end - 1) === 0) return { start, end, joints };
    joints.push(end - 1);
    if (next >= text.length) return { start, end: text.length, joints };
    at = next;
  }
}
