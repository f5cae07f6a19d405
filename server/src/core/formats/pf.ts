/**
 * OpenBSD pf: the addresses of `table <bad> persist { 1.2.3.4, !5.6.7.8 }`
 * in pf.conf (over several lines, with or without `\` continuations), where
 * `!` makes an exception; and the lines of a table file loaded with
 * `table <bad> file "/etc/bad"`: addresses (and `!addresses`) separated by
 * blanks, one or more a line, `#` comments. Host names, interface names and
 * `self` in a table hold no address; rules and macros yield nothing.
 */
import type { Format, TokenSink } from './format';
import { looksLikeAddress } from './lines';
import { Scanner } from './scanner';

export const pf: Format = {
  id: 'pf',
  label: 'pf tables',
  read: readPf,
};

const BANG = 0x21;

function readPf(text: string, sink: TokenSink): void {
  const s = new Scanner(text, '{},');
  for (;;) {
    s.next();
    if (s.kind === 'end') return;
    // A `}` out of place closes nothing: step over it (skipStatement stops before it, and would meet it again).
    if (s.endsStatement() || s.isPunctuation('}')) continue;
    if (s.is('table')) {
      table(s, sink);
    } else if (s.kind === 'word' && (looksLikeAddress(text, s.start, s.end) || text.charCodeAt(s.start) === BANG)) {
      // A line of a table file.
      for (; s.kind === 'word'; s.next()) address(s, sink);
      if (!s.endsStatement()) s.skipStatement();
    } else {
      s.skipStatement();
    }
  }
}

/** `table <name> [persist] [const] [counters] [file "path"]… [{ list }]`, from the word `table`. */
function table(s: Scanner, sink: TokenSink): void {
  let kind = s.next();
  while (kind === 'word' || kind === 'string') kind = s.next();
  if (!s.isPunctuation('{')) {
    s.skipStatement();
    return;
  }
  for (;;) {
    s.next();
    if (s.kind === 'end' || s.isPunctuation('}')) break;
    if (s.isPunctuation('{')) s.skipGroup();
    else if (s.kind === 'word') address(s, sink);
  }
  s.next();
  s.skipStatement();
}

/** The current word as a table entry: `1.2.3.0/24` blocks, `!1.2.3.4` (or `! 1.2.3.4`) is an exception. */
function address(s: Scanner, sink: TokenSink): void {
  let start = s.start;
  let negated = false;
  if (s.text.charCodeAt(start) === BANG) {
    negated = true;
    start++;
    if (start === s.end) {
      if (s.next() !== 'word') {
        s.pushBack();
        return;
      }
      start = s.start;
    }
  }
  if (looksLikeAddress(s.text, start, s.end)) sink.entry(start, s.end, s.line, undefined, negated ? 'allow' : 'block');
}
