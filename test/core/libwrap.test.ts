/**
 * hosts.deny and hosts.allow as libwrap reads the file, beyond its rules:
 * a line it cannot read whole (no line break at the end of the file, a rule
 * continued to the end, a rule of 2,047 bytes or more) stops it, and in
 * hosts.deny every client no rule before decided is then denied, for every
 * daemon; only a `#` at a line's very start comments it out. Each case was
 * asked of tcpdmatch (Debian libwrap0 7.6.q-32) when it was written.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EntryIndex } from '../../server/src/core/analysis/entryIndex';
import { audit } from '../../server/src/core/analysis/audit';
import { parseDocument } from '../../server/src/core/document/document';
import { fixAll, fixesForEntry } from '../../server/src/core/fixes/fixes';
import { hostsAllow, hostsDeny } from '../../server/src/core/formats/hostsDeny';

const EVERY_IPV4 = 2 ** 32;

/** What each daemon's scope blocks of IPv4, and the problems' lines and first words. */
function read(text: string, format = hostsDeny) {
  const document = parseDocument(text, format);
  const { facts } = audit(document);
  return {
    blocked: Object.fromEntries(facts.scopeSets.map((set) => [document.scopes[set.scope].name, Number(set.blocked4.size())])),
    problems: document.problems.map((p) => `L${p.line + 1} ${p.message.slice(0, p.message.indexOf(','))}`),
  };
}

test('a last line without a line break: libwrap reads no rule from it on and denies every client to every daemon', () => {
  assert.deepEqual(read('sshd: 1.2.3.4\nftpd: 5.6.7.8'), {
    blocked: { sshd: EVERY_IPV4, ALL: EVERY_IPV4 },
    problems: ['L2 libwrap cannot read this line: it has no line break at its end'],
  });
  // With the line break, only what the rules name.
  assert.deepEqual(read('sshd: 1.2.3.4\nftpd: 5.6.7.8\n'), { blocked: { sshd: 1, ftpd: 1 }, problems: [] });
});

test('a rule of 2,047 bytes or more, its continued lines joined, and a rule continued to the end stop libwrap too', () => {
  const clients = Array.from({ length: 300 }, (_, n) => `10.0.${n >> 8}.${n & 255}`);
  const continued = `sshd: ${clients.map((client, n) => (n % 5 === 4 ? `${client} \\\n` : `${client} `)).join('')}\n`;
  assert.equal(read(continued).blocked.ALL, EVERY_IPV4);
  assert.match(parseDocument(continued, hostsDeny).problems[0].message, /^libwrap cannot read this line: it is 2,\d{3} bytes long, longer than the 2,046 libwrap reads/);
  // 2,046 bytes are read; 2,047 are not.
  assert.deepEqual(read(`# ${'x'.repeat(2044)}\nsshd: 1.2.3.4\n`), { blocked: { sshd: 1 }, problems: [] });
  assert.deepEqual(read(`# ${'x'.repeat(2045)}\nsshd: 1.2.3.4\n`).blocked, { ALL: EVERY_IPV4 });
  assert.deepEqual(read('sshd: 1.2.3.4, \\\n').problems, ['L1 libwrap cannot read this line: it is continued to the end of the file']);
});

test('in hosts.allow a line libwrap cannot read ends the file: the rules after it grant nothing', () => {
  const { blocked, problems } = read('sshd: 1.2.3.4 : deny\nsshd: 5.6.7.8 : deny', hostsAllow);
  assert.deepEqual(blocked, { sshd: 1 });
  assert.deepEqual(problems, ['L2 libwrap cannot read this line: it has no line break at its end']);
});

test('only a # at the very start of a line is a comment: an indented one is a rule', () => {
  assert.equal(read('sshd: 1.2.3.4\n    # ALL: ALL\n').blocked.ALL, EVERY_IPV4);
  assert.deepEqual(read('sshd: 1.2.3.4\n# ALL: ALL\n').blocked, { sshd: 1 });
});

test('no split writes a rule longer than libwrap reads', () => {
  const document = parseDocument('sshd: 10.0.0.0/16\n', hostsDeny);
  const context = { index: EntryIndex.of(document.entries), facts: audit(document).facts };
  const titles = fixesForEntry(document, context, 0, { maxEntries: 512, protected: [], target: [] }).map((fix) => fix.title);
  assert.ok(titles.includes('Split 10.0.0.0/16 into two halves (/17)'), titles.join('\n'));
  assert.ok(!titles.some((title) => title.includes('256 /24')), titles.join('\n'));
});

test('a colon escaped with a backslash is part of its option: the usual spawn line of hosts.allow grants', () => {
  assert.deepEqual(read('sshd: 10.0.0.0/255.0.0.0 : spawn /bin/echo "%d\\: %a" >> /var/log/tcpd.log\n', hostsAllow), { blocked: { sshd: 0 }, problems: [] });
  // Unescaped, ` %a"…` is an option libwrap does not know: an error, which denies.
  assert.deepEqual(read('sshd: 10.0.0.0/255.0.0.0 : spawn /bin/echo "%d: %a" >> /var/log/tcpd.log\n', hostsAllow).blocked, { sshd: 2 ** 24 });
});

test('no fix is offered while libwrap cannot read the file whole: what it then denies makes the rules before redundant only until the line is mended', () => {
  const text = 'sshd: 192.0.2.4\nftpd: 198.51.100.0/24';
  const document = parseDocument(text, hostsDeny);
  const { facts } = audit(document);
  assert.ok(
    facts.entryFacts.of(0).some((fact) => fact.code === 'covered'),
    'line 1 is redundant as the file stands',
  );
  assert.deepEqual(fixAll(document, facts), []);
  assert.deepEqual(fixesForEntry(document, { index: EntryIndex.of(document.entries), facts }, 0, { maxEntries: 64, protected: [], target: [] }), []);
});

test('a line continues only at a backslash right before \\n, and the lines join with no blank between them', () => {
  // A backslash before \r\n stays a character: the next line, without a colon, is no rule (tcpdmatch grants 5.6.7.8).
  assert.deepEqual(read('sshd: 1.2.3.4 \\\r\n  5.6.7.8\r\n').blocked, { sshd: 1 });
  // `1.2.3.4\` then `5.6.7.8` is the one word 1.2.3.45.6.7.8, which matches no client (tcpdmatch grants both); with a blank before the backslash, two.
  const joined = read('sshd: 1.2.3.4\\\n5.6.7.8, 9.9.9.9\n');
  assert.deepEqual(joined.blocked, { sshd: 1 });
  assert.match(joined.problems[0], /^L1 libwrap joins this word and the first of the next line into one/);
  assert.deepEqual(read('sshd: 1.2.3.4 \\\n5.6.7.8\n').blocked, { sshd: 2 });
});
