/** Hover: what an entry blocks, exactly; elsewhere, the document's totals. */
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { formatCount, formatShare, powerOfTwo } from '../core/addresses/display';
import { describeEntry, summarize, type EntryDescription } from '../core/analysis/describe';
import type { Evaluation } from '../core/formats/format';
import { ageInDays, dataNote, type DataAge } from '../core/ownership/dataAbout';
import type { Ownership } from '../core/ownership/shares';
import { markdownText } from '../core/primitives/markdown';
import type { Analysis } from './analysis';
import { toRange } from './convert';

/** `today` dates the ownership data in the footer. */
export function hover(textDocument: TextDocument, analysis: Analysis, position: Position, today: Date): Hover {
  const table = analysis.document.entries;
  // On an entry, or anywhere on a line that holds one; elsewhere, the document's totals.
  let k = table.entryAt(position.line, textDocument.offsetAt(position));
  if (k < 0) k = table.entryAt(position.line);
  if (k < 0) return { contents: { kind: MarkupKind.Markdown, value: summaryMarkdown(analysis) } };
  return entryHover(textDocument, analysis, k, today);
}

function entryHover(textDocument: TextDocument, { document, index, networks }: Analysis, k: number, today: Date): Hover {
  const table = document.entries;
  const data = networks && { about: networks.index.about, ageDays: ageInDays(networks.index.about, today) };
  return {
    contents: { kind: MarkupKind.Markdown, value: entryMarkdown(describeEntry(document, index, k, networks), data) },
    range: toRange(textDocument, table.start[k], table.end[k]),
  };
}

/** `data`, the ownership data and its age, is said under the owners (and is there whenever they are). */
export function entryMarkdown(d: EntryDescription, data?: DataAge): string {
  const verb = d.role === 'allow' ? 'allows' : 'blocks';
  const lines = [`**${markdownText(d.text)}** ${verb} **${formatCount(d.count)}** ${d.count === 1n ? 'address' : 'addresses'}${powerOfTwo(d.count)}`, ''];
  if (d.scope) lines.push(`In ${markdownText(d.scope.label)}${d.scope.role === 'allow' ? ', an allowlist' : ''}: ${HOW_DECIDED[d.scope.evaluation]}.`, '');
  if (d.version === 6) {
    const networks = [48, 64]
      .filter((p) => d.count >= 1n << BigInt(128 - p) && d.count % (1n << BigInt(128 - p)) === 0n)
      .map((p) => `${formatCount(d.count >> BigInt(128 - p))} /${p} networks`);
    if (networks.length > 0) lines.push(`= ${networks.join(' = ')}`, '');
  }
  lines.push(`First – last: \`${d.first}\` – \`${d.last}\`  `);
  if (d.prefix !== undefined) lines.push(`Prefix: /${d.prefix}${d.netmask ? ` · netmask \`${d.netmask}\`` : ''}  `);
  lines.push(`Share of the IPv${d.version} space: ${formatShare(d.share)}`);
  if (d.special.length > 0) {
    lines.push('', '**Special-purpose addresses:**');
    for (const range of d.special) lines.push(`- \`${range.cidr}\` ${range.name} (${range.rfc})`);
  }
  if (d.overlapCount > 0) {
    lines.push('', `**Overlaps ${d.overlapCount} other ${d.overlapCount === 1 ? 'entry' : 'entries'}:**`);
    for (const other of d.overlaps) lines.push(`- line ${other.line + 1}: \`${other.text}\` (${formatCount(other.shared)} shared)`);
    if (d.overlapCount > d.overlaps.length) lines.push(`- … and ${d.overlapCount - d.overlaps.length} more`);
  }
  if (d.feeds.length > 0) {
    const listed = d.feeds.slice(0, 5).map((m) => `${markdownText([m.provider, m.service, m.region].filter(Boolean).join(' '))} (${formatCount(m.addresses)})`);
    lines.push('', `**Provider feeds:** ${listed.join(' · ')}${d.feeds.length > 5 ? ` · … ${d.feeds.length - 5} more` : ''}`);
  }
  if (d.ownership) lines.push('', ...ownershipMarkdown(d.ownership), ...(data ? ['', `_${markdownText(dataNote(data))}_`] : []));
  return lines.join('\n');
}

/** How a scope decides an address, in a few words. */
const HOW_DECIDED: Readonly<Record<Evaluation, string>> = {
  union: 'every entry counts',
  'most-specific': 'the most specific entry decides',
  'first-match': 'the first rule that matches decides',
  'line-except': 'each rule blocks its list less its own exceptions, and the first rule that holds an address decides',
};

const TOP_HOLDERS = 5;

/** Who announces the entry's addresses, by provider and by organisation. */
function ownershipMarkdown(o: Ownership): string[] {
  const share = (part: bigint) => formatShare(Number((part * 1_000_000n) / o.total) / 1_000_000);
  const lines: string[] = [];
  if (o.providers.length > 0) {
    lines.push('**Known providers:** ' + o.providers.map((p) => `${markdownText(p.provider.name)} ${formatCount(p.addresses)} (${share(p.addresses)})`).join(' · '), '');
  }
  lines.push('| holder | ASN | addresses | share |', '|---|---:|---:|---:|');
  for (const h of o.holders.slice(0, TOP_HOLDERS)) lines.push(`| ${markdownText(h.name)} | AS${h.asn} | ${formatCount(h.addresses)} | ${share(h.addresses)} |`);
  if (o.holders.length > TOP_HOLDERS) {
    const rest = o.holders.slice(TOP_HOLDERS).reduce((sum, h) => sum + h.addresses, 0n);
    lines.push(`| ${o.holders.length - TOP_HOLDERS} more | | ${formatCount(rest)} | ${share(rest)} |`);
  }
  if (o.unannounced > 0n) lines.push(`| not announced | | ${formatCount(o.unannounced)} | ${share(o.unannounced)} |`);
  return lines;
}

function summaryMarkdown({ document, result }: Analysis): string {
  const s = summarize(document, result);
  return [
    `**Blocklist** (${s.format})`,
    '',
    '| | entries | unique addresses | share of the space |',
    '|---|---:|---:|---:|',
    `| IPv4 | ${formatCount(BigInt(s.ipv4.entries))} | ${formatCount(s.ipv4.addresses)} | ${formatShare(s.ipv4Share)} |`,
    `| IPv6 | ${formatCount(BigInt(s.ipv6.entries))} | ${formatCount(s.ipv6.addresses)}${powerOfTwo(s.ipv6.addresses)} | ${formatShare(s.ipv6Share)} |`,
    '',
    `${formatCount(BigInt(s.duplicates))} duplicates · ${formatCount(BigInt(s.exceptions))} exceptions · ${formatCount(BigInt(s.problems))} reading problems`,
  ].join('\n');
}
