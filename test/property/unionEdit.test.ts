/**
 * After an edit of a list, the audit finds the sweep's facts again only
 * where the edit changed them (unionEdit.ts): its facts, findings and
 * blocked sets equal those of the edited text read and audited afresh.
 * Random lists in a 32-address window per family, where entries repeat,
 * cover, overlap and adjoin one another, with broad and special entries
 * among them, and random edits of their lines; with and without the ASN
 * data. And a one-line edit of a long list sweeps a few entries, not the
 * list.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { audit, type AuditResult } from '../../server/src/core/analysis/audit';
import { DEFAULT_AUDIT_OPTIONS, type AuditOptions } from '../../server/src/core/analysis/options';
import { OwnersMemo } from '../../server/src/core/analysis/ownersMemo';
import { parseDocument, updateDocument } from '../../server/src/core/document/document';
import { formatById } from '../../server/src/core/formats/registry';
import { Networks } from '../../server/src/core/ownership/networks';
import { measure } from '../core/workMeter';

const options: AuditOptions = { ...DEFAULT_AUDIT_OPTIONS, maxFindings: 100_000 };
const plain = formatById('plain')!;
const networks = Networks.fromBytes(readFileSync(join(resolve(__dirname, '..', '..', '..'), 'dist/asn.bin')));

const octet = fc.integer({ min: 0, max: 31 });
const line = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(octet, fc.integer({ min: 27, max: 32 })).map(([a, prefix]) => `8.8.8.${a}/${prefix}`) },
  { weight: 3, arbitrary: fc.tuple(octet, octet).map(([a, b]) => `8.8.8.${Math.min(a, b)}-8.8.8.${Math.max(a, b)}`) },
  { weight: 2, arbitrary: octet.map((a) => `8.8.8.${a}`) },
  { weight: 2, arbitrary: fc.tuple(octet, fc.integer({ min: 123, max: 128 })).map(([a, prefix]) => `2001:4860::${a.toString(16)}/${prefix}`) },
  { weight: 1, arbitrary: fc.constantFrom('8.8.0.0/16', '8.0.0.0/8', '10.0.0.0/8', '0.0.0.0/0', '8.8.8.0/24', '2001:4860::/32', '::/0') },
  { weight: 1, arbitrary: fc.constantFrom('# a comment', '', 'not an address', '8.8.8.300') },
);

/** Everything an audit says and keeps, in plain values. */
function summary(result: AuditResult) {
  const ranges = <A extends number | bigint>(set: { forEachRange(visit: (start: A, end: A) => void): void }) => {
    const out: string[] = [];
    set.forEachRange((start, end) => out.push(`${start}-${end}`));
    return out;
  };
  const { facts } = result;
  return {
    findings: result.findings,
    totals: [result.ipv4, result.ipv6, result.duplicates, result.exceptions, result.conditional],
    facts: [...facts.entryFacts],
    orders: [facts.order4, facts.order6],
    widest: [facts.widest4, facts.widest6],
    blocked: [ranges(facts.blocked4), ranges(facts.blocked6)],
    scopes: facts.scopeSets.map((set) => [set.scope, set.entries4, set.entries6, ranges(set.blocked4), ranges(set.blocked6)]),
    header: facts.header,
  };
}

function editedAndFresh(lines: string[], from: number, to: number, inserted: string[], withNetworks: boolean, allowlist = false) {
  const data = withNetworks ? networks : undefined;
  // An allowlist blocks nothing: its entries are swept for nothing.
  if (allowlist) [lines, from, to] = [['# blocklist-role: allow', ...lines], from + 1, to + 1];
  const edited = [...lines.slice(0, from), ...inserted, ...lines.slice(to)];
  const before = parseDocument(lines.join('\n'), plain);
  const memo = OwnersMemo.for(before);
  const first = audit(before, options, data, memo);
  const updated = updateDocument(before, edited.join('\n'));
  const { order4, order6 } = first.facts;
  const resumed = audit(updated, options, data, OwnersMemo.for(updated, memo), { document: before, order4, order6, facts: first.facts });
  const fresh = audit(parseDocument(edited.join('\n'), plain), options, data);
  return { resumed, fresh };
}

const edits = (withNetworks: boolean) =>
  fc.property(fc.array(line, { minLength: 1, maxLength: 40 }), fc.nat(), fc.nat(), fc.array(line, { maxLength: 4 }), fc.boolean(), (lines, at, length, inserted, allowlist) => {
    const from = at % (lines.length + 1);
    const to = Math.min(lines.length, from + (length % 4));
    const { resumed, fresh } = editedAndFresh(lines, from, to, inserted, withNetworks, allowlist && at % 8 === 0);
    assert.deepEqual(summary(resumed), summary(fresh));
  });

test('after an edit the facts found again where it changed them equal a fresh audit of the edited text', () => {
  fc.assert(edits(false), { numRuns: 1500 });
});

test('so do the findings about owners, providers and collateral, with the ASN data and its memo carried', () => {
  fc.assert(edits(true), { numRuns: 300 });
});

test('an edit that removes what a run of entries hangs on sweeps them again', () => {
  // The /24 covers the rest; taking it away leaves them overlapping and duplicating one another.
  const lines = ['8.8.8.0/24', '8.8.8.0/28', '8.8.8.8/29', '8.8.8.8/29', '8.8.8.16/28', '8.8.8.32/27'];
  for (const [from, to, inserted] of [
    [0, 1, []],
    [0, 1, ['8.8.8.0/25']],
    [3, 4, ['8.8.8.0/23']],
    [6, 6, ['8.8.8.64/26']],
  ] as const) {
    const { resumed, fresh } = editedAndFresh(lines, from, to, [...inserted], false);
    assert.deepEqual(summary(resumed), summary(fresh));
  }
});

test('a one-line edit of a long list sweeps the entries around it: the same at N and 4N entries', () => {
  const sweptAt = (count: number) => {
    const lines = Array.from({ length: count }, (_, i) => `10.${i >> 8}.${i & 255}.0/24`);
    const before = parseDocument(lines.join('\n'), plain);
    const first = audit(before, options);
    const updated = updateDocument(before, [...lines.slice(0, count / 2), '10.7.7.7', ...lines.slice(count / 2 + 1)].join('\n'));
    const { order4, order6 } = first.facts;
    const memo = OwnersMemo.for(updated);
    const resumed = measure(() => audit(updated, options, undefined, memo, { document: before, order4, order6, facts: first.facts }));
    const fresh = measure(() => audit(updated, options, undefined, memo, { document: before, order4, order6 }));
    assert.deepEqual(summary(resumed.result), summary(fresh.result));
    return [resumed.work.elements, fresh.work.elements];
  };
  const [[resumedN, freshN], [resumed4N, fresh4N]] = [sweptAt(4000), sweptAt(16000)];
  assert.ok(fresh4N >= 3.5 * freshN, `a whole sweep grows with the list: ${freshN} then ${fresh4N} elements`);
  assert.ok(resumed4N <= 1.5 * resumedN + 16, `the resumed sweep does not: ${resumedN} then ${resumed4N} elements`);
});
