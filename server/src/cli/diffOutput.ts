/**
 * `diff`'s outputs: text for a terminal, Markdown to paste as a review
 * comment or a CI job summary, JSON with every entry and owner, and SARIF
 * with each of NEW's findings marked against OLD (baselineState).
 */
import { isatty } from 'node:tty';
import { formatAmount } from '../core/addresses/display';
import type { AddressDelta, EntryRef, ScopeChange } from '../core/change/compare';
import { introduced } from '../core/change/findingChanges';
import type { SetOwners } from '../core/change/owners';
import { familyDeltas, ownersData } from '../core/change/changeData';
import { organisationLabel } from '../core/ownership/organisations';
import { markdownText } from '../core/primitives/markdown';
import { ANSI, PLAIN, wantsColour } from './colour';
import { dataAgeJson, dataAgeLines } from './dataAbout';
import type { DiffReport, ScopeOwners } from './diff';
import { againstBaseline, heldFindings, limitResults, locatedIn } from './findings';
import { Streamed, writeJson } from './jsonStream';
import type { Output } from './output';
import { SARIF_MAX_RESULTS, sarifLog } from './sarif';
import { counted, writeRows } from './stylish';
import { formatCount } from '../core/primitives/formatCount';

/** Entries listed per scope and kind in text and Markdown (JSON lists all). */
const LISTED = 20;
/** Organisations named per family in text and Markdown. */
const NAMED = 5;

export function writeDiffText(out: Output, report: DiffReport): void {
  const palette = wantsColour(isatty(1), process.env) ? ANSI : PLAIN;
  const { before, after, change } = report;
  out.line(palette.file(`${before.name} → ${after.name}`));
  out.line(`  ${after.document.format.id} format: ${deltaLine(change)}`);
  const changed = change.scopes.filter((scope) => scope.status !== 'unchanged');
  const single = change.scopes.length === 1;
  change.scopes.forEach((scope, s) => {
    if (scope.status === 'unchanged') return;
    const indent = single ? '  ' : '    ';
    if (!single) out.line(`  ${scope.label} (${scope.status}${scope.role === 'allow' ? ', allows' : ''}): ${deltaLine(scope)}`);
    out.line(`${indent}entries: ${entryCounts(scope)}`);
    for (const { sign, entries } of entryLists(scope)) {
      for (const entry of entries.slice(0, LISTED)) out.line(`${indent}  ${sign} ${entryText(entry)}`);
      if (entries.length > LISTED) out.line(`${indent}  ${sign} … and ${formatCount(entries.length - LISTED)} more`);
    }
    for (const entry of scope.entriesChanged.slice(0, LISTED)) out.line(`${indent}  ~ ${entryText(entry.before)} → ${entryText(entry.after)}`);
    const owners = report.owners[s];
    if (owners) for (const line of ownerLines(owners)) out.line(`${indent}${line}`);
  });
  if (changed.length === 0) out.line('  nothing blocked changed');
  const fresh = introduced(change.findings);
  out.line('');
  out.line(`Findings: ${counted(fresh.length, 'introduced', 'introduced')}, ${counted(change.findings.resolved.length, 'resolved', 'resolved')}`);
  if (fresh.length > 0) writeRows(out, after.document.text, fresh, heldFindings(fresh).counts, palette);
  if (change.findings.resolved.length > 0) {
    out.line('  resolved (lines of the old version):');
    writeRows(out, before.document.text, change.findings.resolved, heldFindings(change.findings.resolved).counts, palette);
  }
  const dataLines = dataAgeLines(report.ownership);
  if (dataLines.length > 0) out.line('');
  for (const line of dataLines) out.line(line);
  if (report.failures.length > 0) out.line('');
  for (const failure of report.failures) out.line(palette.summary.error(`✖ ${failure}`));
}

export function writeDiffMarkdown(out: Output, report: DiffReport): void {
  const { before, after, change } = report;
  const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;
  out.line(`### Blocklist change: ${code(before.name)} → ${code(after.name)}`);
  out.line('');
  if (report.failures.length > 0) {
    for (const failure of report.failures) out.line(`> **✖ ${markdownText(failure)}**`);
    out.line('');
  }
  out.line('| Scope | Status | IPv4 added | IPv4 removed | IPv6 added | IPv6 removed | Entries added / removed / changed |');
  out.line('|---|---|--:|--:|--:|--:|--:|');
  for (const scope of change.scopes) {
    const amounts = [formatAmount(4, scope.added4.size()), formatAmount(4, scope.removed4.size()), formatAmount(6, scope.added6.size()), formatAmount(6, scope.removed6.size())];
    const entries = [scope.entriesAdded.length, scope.entriesRemoved.length, scope.entriesChanged.length].map((n) => formatCount(n)).join(' / ');
    out.line(`| ${markdownText(scope.label)} | ${scope.status} | ${amounts.join(' | ')} | ${entries} |`);
  }
  change.scopes.forEach((scope, s) => {
    const owners = report.owners[s];
    if (scope.status === 'unchanged') return;
    out.line('');
    out.line(`#### ${markdownText(scope.label)}`);
    out.line('');
    for (const { sign, entries } of entryLists(scope)) {
      for (const entry of entries.slice(0, LISTED)) out.line(`- ${sign} line ${entry.line + 1}: ${code(entry.text)} (${formatAmount(entry.version, entry.addresses)})`);
      if (entries.length > LISTED) out.line(`- ${sign} … and ${formatCount(entries.length - LISTED)} more`);
    }
    for (const entry of scope.entriesChanged.slice(0, LISTED)) out.line(`- ~ line ${entry.after.line + 1}: ${code(entry.before.text)} → ${code(entry.after.text)}`);
    if (owners) {
      out.line('');
      for (const line of ownerLines(owners)) out.line(markdownText(line.trim()) + '  ');
    }
  });
  const fresh = introduced(change.findings);
  out.line('');
  out.line(`#### Findings: ${formatCount(fresh.length)} introduced, ${formatCount(change.findings.resolved.length)} resolved`);
  out.line('');
  for (const f of locatedIn(after.document.text, fresh)) out.line(`- line ${f.line}: **${f.severity}** ${markdownText(f.message)} (${code(f.code)})`);
  for (const f of locatedIn(before.document.text, change.findings.resolved)) out.line(`- resolved (was line ${f.line}): ~~${markdownText(f.message)}~~`);
  const dataLines = dataAgeLines(report.ownership);
  if (dataLines.length > 0) {
    out.line('');
    out.line(`<sub>${markdownText(dataLines.join(' '))}</sub>`);
  }
}

export function writeDiffJson(out: Output, report: DiffReport): void {
  const { before, after, change } = report;
  writeJson(out, {
    old: { name: before.name, format: before.document.format.id },
    new: { name: after.name, format: after.document.format.id },
    ...familyDeltas(change),
    owners: ownersJson(report.fileOwners),
    scopes: change.scopes.map((scope, s) => ({
      name: scope.name,
      label: scope.label,
      role: scope.role,
      status: scope.status,
      ...familyDeltas(scope),
      entries: {
        added: new Streamed(scope.entriesAdded.map(entryJson)),
        removed: new Streamed(scope.entriesRemoved.map(entryJson)),
        changed: scope.entriesChanged.map((entry) => ({ before: entryJson(entry.before), after: entryJson(entry.after) })),
      },
      owners: ownersJson(report.owners[s]),
    })),
    findings: {
      introduced: new Streamed(locatedIn(after.document.text, introduced(change.findings))),
      updated: new Streamed(
        locatedIn(
          after.document.text,
          change.findings.after.filter(({ state }) => state === 'updated').map(({ finding }) => finding),
        ),
      ),
      unchanged: change.findings.after.filter(({ state }) => state === 'unchanged').length,
      resolved: new Streamed(locatedIn(before.document.text, change.findings.resolved)),
    },
    failures: report.failures,
    ownershipData: dataAgeJson(report.ownership),
  });
  out.line('');
}

/** NEW's findings, each marked new, unchanged or updated against OLD, and OLD's resolved ones as absent. */
export function writeDiffSarif(out: Output, report: DiffReport): void {
  const { after, change } = report;
  const file = { file: after.name, document: after.document, result: after.result, findings: heldFindings(after.result.findings), providers: { ipv4: [], ipv6: [] } };
  writeJson(out, sarifLog(limitResults([againstBaseline(file, change.findings, true)], SARIF_MAX_RESULTS), SARIF_MAX_RESULTS, report.ownership));
  out.line('');
}

/** `IPv4 +1,835,008 −0 · IPv6 +0 −0` */
function deltaLine(delta: AddressDelta): string {
  return `IPv4 +${formatAmount(4, delta.added4.size())} −${formatAmount(4, delta.removed4.size())} · IPv6 +${formatAmount(6, delta.added6.size())} −${formatAmount(6, delta.removed6.size())}`;
}

function entryCounts(scope: ScopeChange): string {
  return `${formatCount(scope.entriesAdded.length)} added, ${formatCount(scope.entriesRemoved.length)} removed, ${formatCount(scope.entriesChanged.length)} changed`;
}

function entryLists(scope: ScopeChange): { readonly sign: string; readonly entries: readonly EntryRef[] }[] {
  return [
    { sign: '+', entries: scope.entriesAdded },
    { sign: '−', entries: scope.entriesRemoved },
  ];
}

/** `line 20: 35.192.0.0/12 (1,048,576)` */
function entryText(entry: EntryRef): string {
  return `line ${entry.line + 1}: ${entry.text} (${formatAmount(entry.version, entry.addresses)}${entry.allow ? ', an exception' : ''})`;
}

/** The owners of what a change adds and removes, a line per direction and family that has addresses. */
function ownerLines(owners: ScopeOwners): string[] {
  const lines: string[] = [];
  for (const [direction, byFamily] of [
    ['added', owners.added],
    ['removed', owners.removed],
  ] as const) {
    for (const [version, held] of [
      [4, byFamily.ipv4],
      [6, byFamily.ipv6],
    ] as const) {
      if (held.total === 0n) continue;
      const named = [
        ...held.providers.map((share) => `${share.provider.name} ${formatAmount(version, share.addresses)}`),
        ...(held.unannounced > 0n ? [`unannounced ${formatAmount(version, held.unannounced)}`] : []),
      ];
      lines.push(`${direction} IPv${version}, by provider: ${named.length > 0 ? named.join(' · ') : 'no known provider'}`);
      const organisations = held.organisations.slice(0, NAMED).map((o) => `${organisationLabel(o.name, o.asns)} ${formatAmount(version, o.addresses)}`);
      const more = held.organisations.length > NAMED ? ` · ${formatCount(held.organisations.length - NAMED)} more` : '';
      if (organisations.length > 0) lines.push(`  by organisation: ${organisations.join(' · ')}${more}`);
    }
  }
  return lines;
}

function entryJson(entry: EntryRef): object {
  return { line: entry.line + 1, text: entry.text, addresses: entry.addresses.toString(), ...(entry.allow ? { allow: true } : {}) };
}

function ownersJson(owners: ScopeOwners | undefined): object | undefined {
  return owners && { added: familyOwnersJson(owners.added), removed: familyOwnersJson(owners.removed) };
}

/** Who holds what a change adds or removes, per family, every autonomous system listed as it is written. */
function familyOwnersJson(byFamily: ScopeOwners['added']): object {
  const one = (held: SetOwners) => ({ ...ownersData(held), asns: new Streamed(held.asns.map((h) => ({ asn: h.asn, name: h.name, addresses: h.addresses.toString() }))) });
  return { ipv4: one(byFamily.ipv4), ipv6: one(byFamily.ipv6) };
}
