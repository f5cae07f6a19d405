/**
 * Apache httpd access rules: 2.4's `Require not ip A B …` (blocks) and
 * `Require ip A …` (exceptions), 2.2's `Deny from A B …` and `Allow from A …`.
 * Directive names are case-insensitive. An address may be partial (`10.1` is
 * 10.1.0.0/16), a CIDR, or `10.1.0.0/255.255.0.0`; host names and `env=`
 * tests hold no address.
 */
import { HASH } from '../primitives/charCodes';
import type { EntryRole, Format, TokenSink } from './format';
import { emitEverything, emitPartialIPv4, expected, isDigit, lineReader, looksLikeAddress, skipBlanks, wordEnd, wordIs } from './lines';

export const apache: Format = {
  id: 'apache',
  label: 'Apache access rules',
  lineByLine: true,
  read: lineReader(readLine, 'line'),
};

function readLine(text: string, start: number, end: number, line: number, sink: TokenSink): void {
  let w = wordEnd(text, start, end);
  let role: EntryRole;
  let from = false;
  if (wordIs(text, start, w, 'Require', true)) {
    let i = skipBlanks(text, w, end);
    w = wordEnd(text, i, end);
    role = 'allow';
    if (wordIs(text, i, w, 'not', true)) {
      role = 'block';
      i = skipBlanks(text, w, end);
      w = wordEnd(text, i, end);
    }
    // `Require all granted` and `Require host …` hold no address.
    if (!wordIs(text, i, w, 'ip', true)) return;
  } else if (wordIs(text, start, w, 'Deny', true) || wordIs(text, start, w, 'Allow', true)) {
    role = wordIs(text, start, w, 'Deny', true) ? 'block' : 'allow';
    const i = skipBlanks(text, w, end);
    w = wordEnd(text, i, end);
    if (!wordIs(text, i, w, 'from', true)) return;
    from = true;
  } else {
    return;
  }
  if (skipBlanks(text, w, end) === end) {
    expected(sink, start, end, line, `an address after "${text.slice(start, end)}"`);
    return;
  }
  for (let i = skipBlanks(text, w, end); i < end; i = skipBlanks(text, w, end)) {
    w = wordEnd(text, i, end);
    if (text.charCodeAt(i) === HASH) {
      sink.problem(
        {
          code: 'invalid-entry',
          start: i,
          end,
          message: 'Apache reads "#" after a directive as one more argument, not as a comment: put the comment on a line of its own.',
        },
        line,
      );
      return;
    }
    readAddress(text, i, w, line, sink, role, from);
  }
}

/**
 * One argument. `all` is everything only in `Deny from all` (two entries,
 * 0.0.0.0/0 and ::/0); `Allow from all` states the default of a blocklist and
 * yields nothing, as does `Require all granted`.
 */
function readAddress(text: string, start: number, end: number, line: number, sink: TokenSink, role: EntryRole, from: boolean): void {
  if (from && wordIs(text, start, end, 'all', true)) {
    if (role === 'block') emitEverything(sink, start, end, line, { role });
    return;
  }
  if (isPartialIPv4(text, start, end)) emitPartialIPv4(sink, text, start, end, line, role);
  else if (looksLikeAddress(text, start, end)) sink.entry(start, end, line, undefined, { role });
}

/** `10`, `10.1`, `10.1.2`, `10.1.2.` or a whole address: digits and dots only. */
function isPartialIPv4(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (!isDigit(c) && c !== 0x2e) return false;
  }
  return start < end;
}
