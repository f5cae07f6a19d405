/**
 * hosts.deny beside a hosts.allow, as hosts_access(5) says: hosts.allow's
 * first matching line decides, and hosts.deny is asked only the rest. Table
 * rows of (hosts.allow, hosts.deny, what each daemon scope of hosts.deny
 * blocks, findings); test/oracle/hostsAllow.test.ts holds random pairs to
 * tcpdmatch itself.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { audit } from '../../server/src/core/analysis/audit';
import { DEFAULT_AUDIT_OPTIONS } from '../../server/src/core/analysis/options';
import { parseDocument } from '../../server/src/core/document/document';
import { EntryIndex } from '../../server/src/core/analysis/entryIndex';
import { DEFAULT_MAX_FIX_ENTRIES, fixAll, fixesForEntry } from '../../server/src/core/fixes/fixes';
import { applyEdits } from '../../server/src/core/fixes/rewrite';
import { hostsAllow, hostsDeny } from '../../server/src/core/formats/hostsDeny';
import { detectFormat } from '../../server/src/core/formats/registry';

const DEFAULT_FIX_OPTIONS = { maxEntries: DEFAULT_MAX_FIX_ENTRIES, protected: [], target: [] };

function read(allowText: string, denyText: string) {
  const allow = { file: '/etc/hosts.allow', document: parseDocument(allowText, hostsAllow) };
  const document = parseDocument(denyText, hostsDeny);
  return { allow, document, result: audit(document, { ...DEFAULT_AUDIT_OPTIONS, hostsAllow: allow }) };
}

// oxfmt-ignore
const cases: [allow: string, deny: string, scopes: string[], findings: string[]][] = [
  // hosts.allow grants sshd the /24 first: of ALL's /16, sshd is denied the rest; other daemons all of it.
  ['sshd: 192.0.2.0/24\n', 'ALL: 192.0.0.0/16\n', ['daemon ALL: 65536'], []],
  ['sshd: 192.0.2.0/24\n', 'ALL: 192.0.0.0/16\nsshd: 10.0.0.1\n', ['daemon ALL: 65536', 'daemon sshd: 65281'], []],
  // An entry hosts.allow grants whole, for every daemon of its rule, never denies.
  ['sshd: 192.0.2.0/24\n', 'sshd: 192.0.2.7, 198.51.100.1\n', ['daemon sshd: 1'], ['L1 granted-first /etc/hosts.allow:1']],
  // An ALL rule holds for every daemon: hosts.allow granting sshd alone leaves it denying the others.
  ['sshd: 192.0.2.0/24\n', 'ALL: 192.0.2.7\n', ['daemon ALL: 1'], []],
  ['ALL: 192.0.2.0/24\n', 'ALL: 192.0.2.7\n', ['daemon ALL: 0'], ['L1 granted-first /etc/hosts.allow:1']],
  // An EXCEPT in hosts.allow falls through to hosts.deny (ORACLES.md).
  ['ALL: 10.0.0.0/255.0.0.0 EXCEPT 10.1.2.3\n', 'sshd: 10.1.2.3\n', ['daemon sshd: 1'], []],
  // A hosts.allow line whose options say deny decides first too: hosts.deny is not asked.
  ['sshd: 192.0.2.0/24 : deny\n', 'sshd: 192.0.2.7\n', ['daemon sshd: 0'], ['L1 granted-first /etc/hosts.allow:1']],
  // Partly granted: it still denies the rest, and stays.
  ['sshd: 192.0.2.0/25\n', 'sshd: 192.0.2.0/24\n', ['daemon sshd: 128'], []],
];

for (const [allowText, denyText, scopes, findings] of cases) {
  test(`hosts.allow ${JSON.stringify(allowText)} before hosts.deny ${JSON.stringify(denyText)}`, () => {
    const { document, result } = read(allowText, denyText);
    assert.deepEqual(
      result.facts.scopeSets.map((s) => `${document.scopes[s.scope].label}: ${s.blocked4.size()}`),
      scopes,
    );
    const found = result.findings
      .filter((f) => f.code !== 'special-purpose' && f.code !== 'overbroad')
      .map((f) => `L${f.line + 1} ${f.code}${f.related?.[0]?.elsewhere ? ` ${f.related[0].elsewhere.file}:${f.related[0].line + 1}` : ''}`);
    assert.deepEqual(found, findings);
  });
}

test('the finding names the hosts.allow line, and Fix all leaves the entry', () => {
  const { document, result } = read('# ours\nsshd: 192.0.2.0/24\n', 'sshd: 192.0.2.7\n');
  const finding = result.findings.find((f) => f.code === 'granted-first')!;
  assert.match(finding.message, /hosts\.allow line 2 \(192\.0\.2\.0\/24\) grants every address of it first/);
  assert.equal(finding.related?.[0].message, 'Decides these addresses first.');
  assert.deepEqual(fixAll(document, result.facts), []);
});

test('the quick fix removes an entry hosts.allow decides first, naming its line; a rule that loses its last client goes', () => {
  const { document, result } = read('sshd: 192.0.2.0/24\n', 'sshd: 192.0.2.7, 198.51.100.1\nvsftpd: 192.0.2.8\nsshd: 192.0.2.9\n');
  const index = EntryIndex.of(document.entries);
  const removal = (k: number) => fixesForEntry(document, { index, facts: result.facts }, k, DEFAULT_FIX_OPTIONS).find((fix) => fix.resolves?.includes('granted-first'));
  const first = removal(0)!;
  assert.equal(first.title, 'Remove 192.0.2.7: hosts.allow line 1 (192.0.2.0/24) decides it first');
  assert.equal(applyEdits(document.text, first.edits), 'sshd: 198.51.100.1\nvsftpd: 192.0.2.8\nsshd: 192.0.2.9\n');
  // vsftpd is granted nothing: its entry stays, with no such fix.
  assert.equal(removal(2), undefined);
  assert.equal(applyEdits(document.text, removal(3)!.edits), 'sshd: 192.0.2.7, 198.51.100.1\nvsftpd: 192.0.2.8\n');
});

test('a daemon only hosts.allow names is denied what hosts.deny ALL rules deny less what hosts.allow matches for it, and counts', () => {
  const { document, result } = read('sshd: 192.0.2.0/24\n', 'ALL: 192.0.2.0/23\n');
  assert.equal(result.facts.onlyAllowed?.get('sshd')?.ipv4.size(), 256n);
  assert.deepEqual(
    result.facts.scopeSets.map((s) => `${document.scopes[s.scope].label}: ${s.blocked4.size()}`),
    ['daemon ALL: 512'],
  );
  // hosts.allow's ALL line holds for every daemon but vsftpd, which it names: vsftpd alone is denied the /24, and it counts.
  const except = read('ALL EXCEPT vsftpd: 192.0.2.0/24\n', 'ALL: 192.0.2.0/24\n');
  assert.equal(except.result.facts.onlyAllowed?.get('vsftpd')?.ipv4.size(), 256n);
  assert.equal(except.result.ipv4.addresses, 256n);
  assert.deepEqual(
    except.result.findings.filter((f) => f.code === 'granted-first'),
    [],
  );
});

test('a hosts.allow read alone blocks only what its deny lines deny', () => {
  const document = parseDocument('sshd: 192.0.2.0/24\nvsftpd: 198.51.100.0/24 : deny\n', detectFormat('hosts.allow', ''));
  assert.equal(document.format, hostsAllow);
  assert.equal(audit(document).ipv4.addresses, 256n);
});
