/** File text quoted in messages: short, with every control, format and separator character escaped, never sent raw. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { audit } from '../../server/src/core/analysis/audit';
import { parseDocument } from '../../server/src/core/document/document';
import { formatById } from '../../server/src/core/formats/registry';
import { EXCERPT_LENGTH, excerpt, quote } from '../../server/src/core/primitives/excerpt';

const ESC = '\x1b';

// oxfmt-ignore
const QUOTES: readonly [text: string, quoted: string][] = [
  ['1.2.3.x', '"1.2.3.x"'],
  ['', '""'],
  [`${ESC}[31mred${ESC}[0m`, '"\\x1b[31mred\\x1b[0m"'],
  [`${ESC}]0;title\x07`, '"\\x1b]0;title\\x07"'], // OSC: sets the terminal's title, ended by BEL
  ['\x9b2J', '"\\x9b2J"'], // CSI as one C1 character: clears the screen
  ['tab\there\x7f', '"tab\\x09here\\x7f"'],
  ['evil\u202etxt.exe', '"evil\\u202etxt.exe"'], // right-to-left override
  ['a\u2066b\u2069', '"a\\u2066b\\u2069"'], // bidi isolates
  ['\ufeff1.2.3.4', '"\\ufeff1.2.3.4"'],
  ['zero\u200bwidth', '"zero\\u200bwidth"'],
  ['line\u2028break', '"line\\u2028break"'],
  ['lone \ud800 surrogate', '"lone \\ud800 surrogate"'],
  ['tag \u{e0041}', '"tag \\u{e0041}"'],
  ['Zürich 🚫 Київ', '"Zürich 🚫 Київ"'], // printable text outside ASCII stays as written
  ['x'.repeat(EXCERPT_LENGTH), `"${'x'.repeat(EXCERPT_LENGTH)}"`],
  ['x'.repeat(EXCERPT_LENGTH + 1), `"${'x'.repeat(EXCERPT_LENGTH)}…" (41 characters)`],
  [`${'x'.repeat(EXCERPT_LENGTH - 2)}${ESC}yz`, `"${'x'.repeat(EXCERPT_LENGTH - 2)}…" (41 characters)`], // an escape is never cut in half
  [`${'x'.repeat(EXCERPT_LENGTH - 1)}🚫`, `"${'x'.repeat(EXCERPT_LENGTH - 1)}…" (41 characters)`], // nor a surrogate pair
  [ESC.repeat(1000), `"${'\\x1b'.repeat(EXCERPT_LENGTH / 4)}…" (1,000 characters)`],
];

for (const [text, quoted] of QUOTES) {
  test(`quote(${JSON.stringify(text.slice(0, 20))}) is ${quoted.slice(0, 30)}`, () => {
    assert.equal(quote(text), quoted);
    const shown = quoted.replace(/^"(.*)"( \(.*\))?$/s, '$1');
    assert.ok(shown.length <= EXCERPT_LENGTH + 1, 'at most the excerpt and the ellipsis');
    assert.doesNotMatch(shown, /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u);
  });
}

test('an excerpt of part of a text, unquoted, is cut the same way', () => {
  assert.equal(excerpt('ab\x00cd', 1, 4), 'b\\x00c');
  assert.equal(excerpt(`1.${'0'.repeat(100)}`, 2), `${'0'.repeat(EXCERPT_LENGTH)}… (100 characters)`);
});

// One 50 MB line of each kind a reader meets: the message quotes 40 characters of it, escaped, and says how long it is.
const FIFTY_MB = 50 * 1024 * 1024;
const HUGE: readonly [name: string, line: string, message: RegExp][] = [
  ['text', `${ESC}[2J${'A'.repeat(FIFTY_MB)}`, /^"\\x1b\[2JA{33}…" \(52,428,804 characters\) is not an address, CIDR or range\.$/],
  ['digits', '9'.repeat(FIFTY_MB), /^Octet 9{40}… \(52,428,800 characters\) is out of range/],
  ['an address run on', `1.2.3.4${'5'.repeat(FIFTY_MB)}`, /^Octet 45{39}… \(52,428,801 characters\) is out of range/],
  ['a leading zero', `1.2.3.${'0'.repeat(FIFTY_MB)}1`, /^Octet 0{40}… \(52,428,801 characters\) has a leading zero/],
  ['a prefix', `1.2.3.0/${'x'.repeat(FIFTY_MB)}`, /^"\/x{39}…" \(52,428,801 characters\) is not a prefix length/],
  ['an IPv6 group', `2001:${'d'.repeat(FIFTY_MB)}::`, /^Not an IPv6 address: group "d{40}…" \(52,428,800 characters\) has more than 4 hex digits\.$/],
];

for (const [name, line, message] of HUGE) {
  test(`a 50 MB invalid line (${name}) is quoted as an excerpt, not whole`, () => {
    const document = parseDocument(`1.1.1.1\n${line}\n`, formatById('plain')!);
    const problem = document.problems.find((p) => p.code === 'invalid-entry' || p.code === 'leading-zeros');
    assert.ok(problem, 'the line is reported');
    // Length first: a failing match would print the whole message.
    assert.ok(problem.message.length < 200, `the message is ${problem.message.length.toLocaleString('en-US')} characters long: ${JSON.stringify(problem.message.slice(0, 80))}…`);
    assert.match(problem.message, message);
  });
}

test('ipset: the names and types of sets, and the words of a line, are quoted escaped and cut in what restore refuses', () => {
  const name = `bad${ESC}[2J${'x'.repeat(100)}`;
  const text = `create ${name} hash:ip family inet6\ncreate other hash:ip${ESC}]0;title${'y'.repeat(100)}\nadd ${name} 1.2.3.4\nadd other 1.2.3.4 nomatch\nadd ${name}\n`;
  const document = parseDocument(text, formatById('ipset')!);
  const messages = [...document.problems.map((p) => p.message), ...audit(document).findings.map((f) => f.message)];
  assert.ok(messages.length >= 3, `the refusals are reported: ${JSON.stringify(messages)}`);
  for (const message of messages) {
    const raw = Array.from({ length: message.length }, (_, i) => message.charCodeAt(i)).find((c) => c < 0x20 || c === 0x7f);
    assert.equal(raw, undefined, `a raw control character in ${JSON.stringify(message)}`);
    assert.ok(message.length < 400, `a message of ${message.length} characters: ${JSON.stringify(message)}`);
  }
});

test('nginx: a word before a missing ";" is quoted escaped and cut', () => {
  const word = `10.0.0.1${ESC}[31m${'x'.repeat(200)}`;
  const document = parseDocument(`location / {\n  deny ${word}\n  allow all;\n}\n`, formatById('nginx')!);
  const messages = document.problems.map((p) => p.message);
  assert.ok(
    messages.some((message) => message.includes('\\x1b[31m')),
    JSON.stringify(messages),
  );
  for (const message of messages) assert.ok(!message.includes(ESC) && message.length < 200, JSON.stringify(message));
});
