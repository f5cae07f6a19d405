/**
 * What must hold of any document, however hostile: it reads without
 * throwing into entries, problems and findings placed on the lines an editor
 * shows; its audit equals a fresh one, after an edit too; hovers and the
 * report can be made; and every fix offered has edits that stand apart and
 * apply, the fixes that keep the blocked addresses keep them, and none
 * makes a line unreadable.
 */
import assert from 'node:assert/strict';
import type { AddressSet } from '../../server/src/core/addresses/addressSet';
import { audit, type AuditResult } from '../../server/src/core/analysis/audit';
import { describeEntry, summarize } from '../../server/src/core/analysis/describe';
import { EntryIndex } from '../../server/src/core/analysis/entryIndex';
import { loaderRejections } from '../../server/src/core/analysis/loaderChecks';
import type { AuditOptions } from '../../server/src/core/analysis/options';
import { OwnersMemo } from '../../server/src/core/analysis/ownersMemo';
import { buildReport } from '../../server/src/core/analysis/report';
import { parseDocument, updateDocument, type BlocklistDocument } from '../../server/src/core/document/document';
import { aggregate, fixAll, fixesForEntry, type FixOptions } from '../../server/src/core/fixes/fixes';
import { applyEdits, type TextEdit } from '../../server/src/core/fixes/rewrite';
import type { Format } from '../../server/src/core/formats/format';
import type { Networks } from '../../server/src/core/ownership/networks';

/** Called before each piece of work that must finish within the time budget, naming it. */
export type Step = (what: string) => void;

export interface Analysed {
  readonly document: BlocklistDocument;
  readonly result: AuditResult;
  /** What the audit learnt of each entry from the ASN data, as the server carries it from version to version. */
  readonly memo: OwnersMemo;
}

export interface Settings {
  readonly audit: AuditOptions;
  readonly fixes: FixOptions;
  readonly networks?: Networks;
}

/** Reads and audits `text`, checking what must hold of any document and of its audit. */
export function analyse(text: string, format: Format, settings: Settings, step: Step): Analysed {
  step('read');
  const document = parseDocument(text, format);
  step('audit');
  const memo = OwnersMemo.for(document);
  const result = audit(document, settings.audit, settings.networks, memo);
  checkPlaces(document, result);
  return { document, result, memo };
}

/** Zero-based line of each offset, as the protocol counts lines: `\n`, `\r\n` and a lone `\r` each end one. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) starts.push(i + 1);
  }
  return starts;
}

function lineAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Entries, problems and findings lie in the text, in order, on the line the editor shows them on. */
function checkPlaces(document: BlocklistDocument, result: AuditResult): void {
  const { text, entries: t } = document;
  const starts = lineStarts(text);
  const placed = (what: string, item: { start: number; end: number; line: number }) => {
    assert.ok(0 <= item.start && item.start <= item.end && item.end <= text.length, `${what} spans ${item.start}-${item.end} of a text of ${text.length}`);
    assert.equal(item.line, lineAt(starts, item.start), `${what} at offset ${item.start} is said to be on line ${item.line}`);
  };
  for (let k = 0; k < t.count; k++) {
    placed(`entry ${k}`, { start: t.start[k], end: t.end[k], line: t.line[k] });
    if (k > 0) assert.ok(t.start[k - 1] <= t.start[k], `entry ${k} starts before entry ${k - 1}`);
    assert.ok(t.lo(k) <= t.hi(k), `entry ${k} ends before it starts`);
    assert.ok(t.scope[k] >= 0 && t.scope[k] < document.scopes.length, `entry ${k} has no scope`);
  }
  document.problems.forEach((problem, n) => {
    placed(`problem ${n} (${problem.code})`, problem);
    if (n > 0) assert.ok(document.problems[n - 1].line <= problem.line, `problem ${n} comes before the line of problem ${n - 1}`);
  });
  result.findings.forEach((finding, n) => {
    placed(`finding ${n} (${finding.code})`, finding);
    if (finding.entry !== undefined) assert.equal(finding.start, t.start[finding.entry], `finding ${n} is not on its entry`);
  });
}

/** Everything a document holds, as plain data to compare. */
function documentSnapshot(document: BlocklistDocument) {
  const t = document.entries;
  const entries = Array.from({ length: t.count }, (_, k) => [t.start[k], t.end[k], t.line[k], t.version[k], t.allow[k], t.conditional[k], t.prefix[k], t.lo(k), t.hi(k)]);
  const scopes = Array.from({ length: t.count }, (_, k) => document.scopes[t.scope[k]]);
  return { entries, scopes, problems: document.problems, scopeFacts: document.scopeFacts, directives: document.directives };
}

function resultSnapshot(result: AuditResult) {
  const { findings, omitted, ipv4, ipv6, duplicates, exceptions, conditional } = result;
  return { findings, omitted, ipv4, ipv6, duplicates, exceptions, conditional, blocked: blockedOf(result) };
}

function ranges<A extends number | bigint>(set: AddressSet<A>): string {
  const list: string[] = [];
  set.forEachRange((lo, hi) => list.push(`${set.family.format(lo)}-${set.family.format(hi)}`));
  return list.join(' ');
}

/** The addresses blocked, per family, as text that shows what differs. */
function blockedOf(result: AuditResult): { ipv4: string; ipv6: string } {
  return { ipv4: ranges(result.blocked4), ipv6: ranges(result.blocked6) };
}

/** A second reading and audit of the same text, by nothing carried over, gives the same. */
export function checkFresh(text: string, format: Format, settings: Settings, first: Analysed, step: Step): void {
  step('read and audit again');
  const again = audit(parseDocument(text, format), settings.audit, settings.networks);
  assert.deepEqual(resultSnapshot(again), resultSnapshot(first.result), 'a second audit of the same text differs');
}

/** After an edit to `edited`, the document updated (and audited with what the first audit remembered and found) equals one read afresh. */
export function checkEdit(before: Analysed, edited: string, settings: Settings, step: Step): void {
  step('read an edit');
  const updated = updateDocument(before.document, edited);
  const fresh = parseDocument(edited, before.document.format);
  assert.deepEqual(documentSnapshot(updated), documentSnapshot(fresh), 'the document updated by the edit differs from the edited text read afresh');
  step('audit an edit');
  const { order4, order6 } = before.result.facts;
  const carried = audit(updated, settings.audit, settings.networks, OwnersMemo.for(updated, before.memo), { document: before.document, order4, order6 });
  const afresh = audit(fresh, settings.audit, settings.networks);
  assert.deepEqual(resultSnapshot(carried), resultSnapshot(afresh), 'the audit after the edit differs from a fresh one');
  assert.deepEqual(
    [carried.facts.order4, carried.facts.order6],
    [afresh.facts.order4, afresh.facts.order6],
    'the entries’ order carried across the edit differs from a fresh sort',
  );
}

/** The hover of some entries, the document's totals and the report. */
export function checkDescriptions(analysed: Analysed, networks: Networks | undefined, step: Step): void {
  const { document, result } = analysed;
  step('describe');
  const index = EntryIndex.of(document.entries);
  for (const k of sampleEntries(analysed)) {
    const description = describeEntry(document, index, k, networks);
    assert.equal(description.count, document.entries.size(k));
  }
  summarize(document, result);
  step('report');
  buildReport(document, result, networks);
}

/** Entries the findings are about, and the first and last: a few, whatever the size of the document. */
function sampleEntries({ document, result }: Analysed, most = 6): number[] {
  const count = document.entries.count;
  const picked = new Set<number>();
  for (const finding of result.findings) {
    if (picked.size >= most - 2) break;
    if (finding.entry !== undefined) picked.add(finding.entry);
  }
  if (count > 0) picked.add(0).add(count - 1);
  return [...picked];
}

/** Fixes that claim to keep every decision, so the blocked addresses: the others narrow an entry on purpose. */
const KEEPING = new Set(['host-bits-set', 'duplicate', 'covered', 'mergeable']);

/** Every fix offered on a few entries, Fix all and Aggregate File: edits that stand apart, apply, keep what they claim to, and break no line. */
export function checkFixes(analysed: Analysed, settings: Settings, step: Step): void {
  const { document, result } = analysed;
  step('fixes');
  const context = { index: EntryIndex.of(document.entries), facts: result.facts };
  for (const k of sampleEntries(analysed)) {
    for (const fix of fixesForEntry(document, context, k, settings.fixes, settings.networks)) {
      const keeps = fix.kind === 'refactor.rewrite' || (fix.resolves ?? []).some((code) => KEEPING.has(code));
      checkApplied(analysed, fix.edits, keeps, settings, step, `"${fix.title}"`);
    }
  }
  step('Fix all');
  checkApplied(analysed, fixAll(document, result.facts), true, settings, step, 'Fix all');
  step('Aggregate File');
  checkApplied(analysed, aggregate(document), true, settings, step, 'Aggregate File');
}

function checkApplied({ document, result }: Analysed, edits: readonly TextEdit[], keeps: boolean, settings: Settings, step: Step, what: string): void {
  if (edits.length === 0) return;
  const text = document.text;
  for (const edit of edits)
    assert.ok(0 <= edit.start && edit.start <= edit.end && edit.end <= text.length, `${what}: an edit spans ${edit.start}-${edit.end} of a text of ${text.length}`);
  // applyEdits throws on edits that overlap, as the protocol forbids them.
  const fixed = applyEdits(text, edits);
  step(`read after ${what}`);
  const after = parseDocument(fixed, document.format);
  const invalid = (d: BlocklistDocument) => d.problems.filter((p) => p.code === 'invalid-entry').length;
  assert.ok(invalid(after) <= invalid(document), `${what} leaves ${invalid(after) - invalid(document)} more unreadable entries:\n${JSON.stringify(fixed)}`);
  // Nor does it turn a file the firewall's loader takes into one it refuses (information, such as a set no line creates, aside).
  const refused = (d: BlocklistDocument) => loaderRejections(d).filter((rejection) => rejection.severity === undefined).length;
  if (refused(document) === 0) assert.equal(refused(after), 0, `${what} makes the loader refuse the file:\n${JSON.stringify(fixed)}`);
  if (!keeps) return;
  step(`audit after ${what}`);
  assert.deepEqual(blockedOf(audit(after, settings.audit)), blockedOf(result), `${what} changes the blocked addresses:\n${JSON.stringify(fixed)}`);
}
