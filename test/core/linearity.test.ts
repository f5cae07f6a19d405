/**
 * The core's cost grows linearly with the input, whatever the content: an
 * entry that spans the whole ASN index, or a target that names thousands
 * of ASNs, costs a bounded number of index probes. Work is counted, not
 * timed (test/core/workMeter.ts). Tables the ASN index builds once, on
 * first need, are built before measuring.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { audit } from '../../server/src/core/analysis/audit';
import { DEFAULT_AUDIT_OPTIONS } from '../../server/src/core/analysis/options';
import { parseDocument } from '../../server/src/core/document/document';
import type { FormatId } from '../../server/src/core/formats/format';
import { formatById } from '../../server/src/core/formats/registry';
import { Networks } from '../../server/src/core/ownership/networks';
import { targetDocument } from './generatedDocuments';
import { measure, type Work } from './workMeter';

const root = resolve(__dirname, '..', '..', '..');
const networks = Networks.fromBytes(readFileSync(join(root, 'dist/asn.bin')));
/** As the CLI audits: every finding written. */
const options = { ...DEFAULT_AUDIT_OPTIONS, maxFindings: Number.MAX_SAFE_INTEGER };

function audited(text: string, format: FormatId): Work {
  return measure(() => audit(parseDocument(text, formatById(format)!), options, networks)).work;
}

test('200 lines of 0.0.0.0/0: each looked up in the ASN index in a bounded number of probes', () => {
  const lines = (count: number) => '0.0.0.0/0\n'.repeat(count);
  audited(lines(200), 'plain');
  const [w50, w200] = [audited(lines(50), 'plain'), audited(lines(200), 'plain')];
  const perLine = (w200.probes - w50.probes) / 150;
  assert.ok(perLine < 10_000, `${perLine} probes per line`);
});

test('200 different ranges, each spanning almost every range of the ASN index: each in a bounded number of probes', () => {
  const lines = (count: number) => Array.from({ length: count }, (_, i) => `1.0.${i >> 8}.${i & 255}-223.255.${255 - (i >> 8)}.${255 - (i & 255)}\n`).join('');
  audited(lines(200), 'plain');
  const [w50, w200] = [audited(lines(50), 'plain'), audited(lines(200), 'plain')];
  const perLine = (w200.probes - w50.probes) / 150;
  assert.ok(perLine < 10_000, `${perLine} probes per line`);
});

test('a target of 3,000 ASNs resolves in a bounded number of probes per ASN', () => {
  // A fresh Networks each time: nothing remembered from the run before.
  const opened = (count: number) => measure(() => audit(parseDocument(targetDocument(count, 20), formatById('plain')!), options, new Networks(networks.index))).work;
  opened(3000);
  const [w750, w3000] = [opened(750), opened(3000)];
  const perAsn = (w3000.probes - w750.probes) / 2250;
  assert.ok(perAsn < 1_000, `${perAsn} probes per ASN`);
});
