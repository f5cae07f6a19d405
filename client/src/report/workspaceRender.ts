/**
 * The workspace report: every list's totals and the providers it blocks
 * most, and the overlap matrix as a heat map — row i, column j: the IPv4
 * addresses list i blocks that list j blocks too, and their share of list
 * i's. Pure functions of the server's data, as the audit report is.
 */
import { formatAmount, formatPercent } from '../../../server/src/core/addresses/display';
import { csvRecord } from '../../../server/src/core/primitives/csv';
import { markdownText } from '../../../server/src/core/primitives/markdown';
import type { WorkspaceReportData } from '../../../server/src/lsp/protocol';
import { escape, htmlPage, section } from './render';

const count = (n: string | number) => BigInt(n).toLocaleString('en-US');
/** The last part of a list's URI: its file name. */
const nameOf = (uri: string) => decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1));

/** Shades of the heat map: a share of 0 is shade 0, any other falls in one of five steps. */
function shade(part: bigint, whole: bigint): number {
  if (part === 0n || whole === 0n) return 0;
  return 1 + Math.min(4, Number((part * 5n) / (whole + 1n)));
}

export function workspaceHtml(data: WorkspaceReportData, cspSource: string, nonce: string): string {
  const lists = data.lists;
  const totals = lists
    .map(
      (list) =>
        `<tr><th><a href="#" data-uri="${escape(list.uri)}">${escape(nameOf(list.uri))}</a></th><td>${escape(list.format)}</td>` +
        `<td class="num">${count(list.ipv4.entries + list.ipv6.entries)}</td><td class="num">${count(list.ipv4.addresses)}</td>` +
        `<td class="num">${escape(formatAmount(6, BigInt(list.ipv6.addresses)))}</td>` +
        `<td>${escape(list.providers.map((p) => `${p.name} ${count(p.addresses)}`).join(' · '))}</td></tr>`,
    )
    .join('');
  const header = `<tr><th></th>${lists.map((list, j) => `<th title="${escape(nameOf(list.uri))}">${j + 1}</th>`).join('')}</tr>`;
  const rows = data.overlap4
    .map((row, i) => {
      const whole = BigInt(row[i]);
      const cells = row.map((cell, j) => {
        const part = BigInt(cell);
        const share = i === j || whole === 0n ? '' : ` (${formatPercent(part, whole)})`;
        return `<td class="heat heat-${i === j ? 'self' : shade(part, whole)}">${count(cell)}${share}</td>`;
      });
      return `<tr><th>${i + 1}. ${escape(nameOf(lists[i].uri))}</th>${cells.join('')}</tr>`;
    })
    .join('');
  return htmlPage(
    'Blocklist workspace report',
    `<h1>Blocklist workspace report: ${lists.length} lists</h1>
<p><button data-export="markdown">Export as Markdown</button><button data-export="csv">Export as CSV</button></p>
${section('Lists', lists.length ? `<table class="grid"><tr><th>list</th><th>format</th><th>entries</th><th>IPv4 addresses</th><th>IPv6</th><th>providers (IPv4)</th></tr>${totals}</table>` : '', 'No list in the open folders.')}
${section("IPv4 addresses both lists block: row list's addresses that the column list blocks too", lists.length > 1 ? `<table class="grid heatmap">${header}${rows}</table>` : '', 'One list: nothing to compare.')}`,
    cspSource,
    nonce,
  );
}

export function workspaceMarkdown(data: WorkspaceReportData): string {
  const names = data.lists.map((list) => markdownText(nameOf(list.uri)));
  return [
    `# Blocklist workspace report: ${data.lists.length} lists`,
    '',
    '| list | format | entries | IPv4 addresses | IPv6 addresses | providers (IPv4) |',
    '|---|---|---:|---:|---:|---|',
    ...data.lists.map(
      (list, i) =>
        `| ${names[i]} | ${list.format} | ${count(list.ipv4.entries + list.ipv6.entries)} | ${count(list.ipv4.addresses)} | ${formatAmount(6, BigInt(list.ipv6.addresses))} | ${markdownText(list.providers.map((p) => `${p.name} ${count(p.addresses)}`).join(' · '))} |`,
    ),
    '',
    '## IPv4 addresses both lists block (row list in column list)',
    '',
    `| | ${names.join(' | ')} |`,
    `|---|${names.map(() => '---:').join('|')}|`,
    ...data.overlap4.map((row, i) => `| ${names[i]} | ${row.map(count).join(' | ')} |`),
    '',
  ].join('\n');
}

/** One record per pair of lists and family: list, other, family, addresses both block. */
export function workspaceCsv(data: WorkspaceReportData): string {
  const records = [csvRecord(['list', 'other', 'family', 'addresses'])];
  for (const [family, matrix] of [
    ['ipv4', data.overlap4],
    ['ipv6', data.overlap6],
  ] as const) {
    matrix.forEach((row, i) => row.forEach((cell, j) => records.push(csvRecord([nameOf(data.lists[i].uri), nameOf(data.lists[j].uri), family, cell]))));
  }
  return records.join('');
}
