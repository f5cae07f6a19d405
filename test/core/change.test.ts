/** Comparing two versions of a list: scopes matched by name, exact address deltas, entries added/removed/changed, findings introduced and resolved. */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'node:test';
import fc from 'fast-check';
import { audit } from '../../server/src/core/analysis/audit';
import { compareVersions, type Version } from '../../server/src/core/change/compare';
import { introduced } from '../../server/src/core/change/findingChanges';
import { parseDocument } from '../../server/src/core/document/document';
import { formatIPv4 } from '../../server/src/core/addresses/ipv4';
import { formatById } from '../../server/src/core/formats/registry';
import type { Format } from '../../server/src/core/formats/format';
import { iprange, withPrefixes } from '../oracle/oracles';

function version(text: string, id: Format['id'] = 'plain'): Version {
  const document = parseDocument(text, formatById(id)!);
  return { document, result: audit(document) };
}

const cidrs = (set: { forEachCidr(visit: (network: number, prefix: number) => void): void }) => {
  const lines: string[] = [];
  set.forEachCidr((network, prefix) => lines.push(`${formatIPv4(network)}/${prefix}`));
  return lines.join('\n');
};

test('a plain list: the addresses, entries and findings a change adds and removes', () => {
  const change = compareVersions(version('10.1.2.3\n192.0.2.0/24\n35.192.0.0/12\n'), version('35.192.0.0/16\n10.0.0.0/8\n10.1.2.3\n198.51.100.7\n'));
  assert.equal(change.scopes.length, 1);
  const [file] = change.scopes;
  assert.equal(file.status, 'changed');
  assert.equal(change.added4.size(), 2n ** 24n - 1n + 1n, '10.0.0.0/8 less the 10.1.2.3 it had, and 198.51.100.7');
  assert.equal(change.removed4.size(), 256n + 2n ** 20n - 2n ** 16n);
  assert.deepEqual(
    file.entriesAdded.map((e) => [e.line, e.text]),
    [
      [1, '10.0.0.0/8'],
      [3, '198.51.100.7'],
    ],
  );
  assert.deepEqual(
    file.entriesRemoved.map((e) => [e.line, e.text]),
    [[1, '192.0.2.0/24']],
  );
  assert.deepEqual(
    file.entriesChanged.map((e) => [e.before.text, e.after.text, e.after.line]),
    [['35.192.0.0/12', '35.192.0.0/16', 0]],
  );
  // 10.1.2.3 did not change, but 10.0.0.0/8 now covers it: a finding the change caused on a line it did not touch, at NEW's line.
  const fresh = introduced(change.findings).map((f) => [f.code, f.line]);
  assert.ok(
    fresh.some(([code, line]) => code === 'covered' && line === 2),
    JSON.stringify(fresh),
  );
});

test('lines that only move keep their findings: nothing introduced, nothing resolved', () => {
  const change = compareVersions(version('1.2.3.4\n1.2.3.4\n10.0.0.0/8\n'), version('# moved down\n\n10.0.0.0/8\n1.2.3.4\n1.2.3.4\n'));
  assert.deepEqual([introduced(change.findings).length, change.findings.resolved.length], [0, 0]);
  assert.ok(change.findings.after.length > 0);
  assert.equal(change.scopes[0].status, 'unchanged');
});

test('a resolved finding is reported at its line in the old version', () => {
  const change = compareVersions(version('5.5.5.5\n5.5.5.5\n'), version('5.5.5.5\n'));
  assert.deepEqual(
    change.findings.resolved.map((f) => [f.code, f.line]),
    [['duplicate', 1]],
  );
});

const IPSET_OLD = 'create bad hash:net\nadd bad 1.2.3.0/24\ncreate good hash:net\nadd good 9.9.9.9\ncreate old hash:ip\nadd old 4.4.4.4\n';
const IPSET_NEW = 'create bad hash:net\nadd bad 1.2.3.0/24\nadd bad 1.2.3.0/28 nomatch\ncreate good hash:net\nadd good 9.9.9.9\ncreate renamed hash:ip\nadd renamed 4.4.4.4\n';

test('ipset: scopes matched by name, a renamed set removed and added, exceptions count as the set decides', () => {
  const change = compareVersions(version(IPSET_OLD, 'ipset'), version(IPSET_NEW, 'ipset'));
  const byName = new Map(change.scopes.map((scope) => [scope.name, scope]));
  assert.deepEqual(
    change.scopes.map((scope) => [scope.name, scope.status]),
    [
      ['bad', 'changed'],
      ['good', 'unchanged'],
      ['renamed', 'added'],
      ['old', 'removed'],
    ],
  );
  assert.equal(byName.get('bad')!.removed4.size(), 16n, 'the nomatch /28 unblocks 16 addresses');
  assert.deepEqual(
    byName.get('bad')!.entriesAdded.map((e) => [e.text, e.allow]),
    [['1.2.3.0/28', true]],
  );
  assert.equal(byName.get('renamed')!.added4.size(), 1n);
  assert.equal(byName.get('old')!.removed4.size(), 1n);
  assert.deepEqual([change.added4.size(), change.removed4.size()], [0n, 16n], 'the file: 4.4.4.4 moved between sets, the /28 unblocked');
});

test('a plain list moved into a single set is a change of the one scope, not a removal', () => {
  const change = compareVersions(version('1.2.3.4\n'), version('create s hash:ip\nadd s 1.2.3.4\nadd s 5.6.7.8\n', 'ipset'));
  assert.deepEqual(
    change.scopes.map((scope) => [scope.name, scope.status, scope.added4.size()]),
    [['s', 'changed', 1n]],
  );
});

/** Random plain IPv4 lists of CIDRs inside 10.0.0.0/16, so that they overlap. */
const plainList = fc
  .array(
    fc.tuple(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 18, max: 32 })).map(([host, prefix]) => {
      const network = (0x0a000000 | host) & (prefix === 32 ? -1 : ~(2 ** (32 - prefix) - 1));
      return `${formatIPv4(network >>> 0)}/${prefix}`;
    }),
    { maxLength: 30 },
  )
  .map((lines) => lines.join('\n') + '\n');

test('property: added − removed = count(NEW) − count(OLD), and added and removed equal iprange --except both ways', () => {
  const folder = mkdtempSync(join(tmpdir(), 'blocklist-change-'));
  try {
    fc.assert(
      fc.property(plainList, plainList, (oldText, newText) => {
        const [before, after] = [version(oldText), version(newText)];
        const change = compareVersions(before, after);
        for (const scope of change.scopes) assert.equal(scope.added4.size() - scope.removed4.size(), after.result.ipv4.addresses - before.result.ipv4.addresses);
        assert.equal(change.added4.size() - change.removed4.size(), after.result.ipv4.addresses - before.result.ipv4.addresses);
        const [oldFile, newFile] = [join(folder, 'old'), join(folder, 'new')];
        writeFileSync(oldFile, oldText);
        writeFileSync(newFile, newText);
        assert.equal(cidrs(change.added4), withPrefixes(iprange([newFile, '--except', oldFile]).trim()));
        assert.equal(cidrs(change.removed4), withPrefixes(iprange([oldFile, '--except', newFile]).trim()));
      }),
      { numRuns: 60 },
    );
  } finally {
    rmSync(folder, { recursive: true });
  }
});

/** Random ipset files: entries of three sets (named from a small pool, so sets appear, vanish and are renamed), some `nomatch`. */
const ipsetFile = fc
  .array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd'), fc.integer({ min: 0, max: 63 }), fc.integer({ min: 26, max: 32 }), fc.boolean()), { maxLength: 20 })
  .map((entries) => {
    const sets = [...new Set(entries.map(([set]) => set))];
    const lines = sets.map((set) => `create ${set} hash:net`);
    for (const [set, host, prefix, nomatch] of entries) lines.push(`add ${set} 10.9.0.${host * 4}/${prefix}${nomatch ? ' nomatch' : ''}`);
    return lines.join('\n') + '\n';
  });

test('property: per scope, added − removed = what the scope blocks in NEW − in OLD', () => {
  fc.assert(
    fc.property(ipsetFile, ipsetFile, (oldText, newText) => {
      const [before, after] = [version(oldText, 'ipset'), version(newText, 'ipset')];
      const blockedBy = (v: Version, name: string) => {
        const id = v.document.scopes.findIndex((scope) => scope.name === name);
        return v.result.facts.scopeSets.find((set) => set.scope === id)?.blocked4.size() ?? 0n;
      };
      const change = compareVersions(before, after);
      for (const scope of change.scopes) {
        assert.equal(scope.added4.size() - scope.removed4.size(), blockedBy(after, scope.name) - blockedBy(before, scope.name), scope.name);
      }
      assert.equal(change.added4.size() - change.removed4.size(), after.result.ipv4.addresses - before.result.ipv4.addresses);
    }),
    { numRuns: 300 },
  );
});
