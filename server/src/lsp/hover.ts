/** Hover: what an entry blocks, exactly; elsewhere, the document's totals. */
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { formatCount, powerOfTwo } from '../core/audit';
import { describeEntry, summarize, type EntryDescription } from '../core/describe';
import type { Analysis } from './analysis';
import { toRange } from './convert';

export function hover(textDocument: TextDocument, analysis: Analysis, position: Position): Hover {
  const table = analysis.document.entries;
  // On an entry, or anywhere on a line that holds one; elsewhere, the document's totals.
  let k = table.entryAt(position.line, textDocument.offsetAt(position));
  if (k < 0) k = table.entryAt(position.line);
  if (k < 0) return { contents: { kind: MarkupKind.Markdown, value: summaryMarkdown(analysis) } };
  return entryHover(textDocument, analysis, k);
}

function entryHover(textDocument: TextDocument, { document }: Analysis, k: number): Hover {
  const table = document.entries;
  return {
    contents: { kind: MarkupKind.Markdown, value: entryMarkdown(describeEntry(document, k)) },
    range: toRange(textDocument, table.start[k], table.end[k]),
  };
}

export function entryMarkdown(d: EntryDescription): string {
  const verb = d.role === 'allow' ? 'allows' : 'blocks';
  const lines = [`**${d.text}** ${verb} **${formatCount(d.count)}** ${d.count === 1n ? 'address' : 'addresses'}${powerOfTwo(d.count)}`, ''];
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
  return lines.join('\n');
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

/** A percentage with four significant digits, and a plain "less than" for the very small. */
export function formatShare(share: number): string {
  if (share === 0) return '0 %';
  const percent = share * 100;
  if (percent < 1e-6) return '< 0.000001 %';
  return `${Number(percent.toPrecision(4)).toLocaleString('en-US', { maximumFractionDigits: 8 })} %`;
}
