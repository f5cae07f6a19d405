/**
 * The audit report as HTML (for the webview), Markdown and CSV (for export).
 * Pure functions of the report data: no editor API here.
 */
import { formatAmount, formatShare } from '../../../server/src/core/addresses/display';
import type { ReportData } from '../../../server/src/core/analysis/report';
import type { HistoryPoint } from '../../../server/src/lsp/protocol';
import { dataNote, staleWarning } from '../../../server/src/core/ownership/dataAbout';
import { organisationLabel } from '../../../server/src/core/ownership/organisations';
import { csvRecord } from '../../../server/src/core/primitives/csv';
import { markdownText } from '../../../server/src/core/primitives/markdown';

const count = (n: string | number) => BigInt(n).toLocaleString('en-US');
/** IPv6 addresses as people read them (3 /48s); the CSV export keeps the exact integers. */
const amount6 = (n: string) => formatAmount(6, BigInt(n));

export function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Horizontal bars scaled to the largest value, drawn with CSS (no script, no remote content). */
export function bars(rows: readonly { label: string; value: bigint; detail: string; line?: number }[]): string {
  const max = rows.reduce((m, r) => (r.value > m ? r.value : m), 1n);
  return `<table class="bars">${rows
    .map((r) => {
      const width = Number((r.value * 1000n) / max) / 10;
      const label = r.line === undefined ? escape(r.label) : `<a href="#" data-line="${r.line}">${escape(r.label)}</a>`;
      // An SVG rect, not a style attribute: the policy allows no inline styles.
      return `<tr><th>${label}</th><td><svg class="bar" viewBox="0 0 100 1" preserveAspectRatio="none"><rect width="${Math.max(width, 0.5)}" height="1"></rect></svg></td><td class="num">${escape(r.detail)}</td></tr>`;
    })
    .join('')}</table>`;
}

/** `history`, when the list is in a git repository: what it blocked after each of its last commits, newest first. */
export function reportHtml(data: ReportData, fileName: string, cspSource: string, nonce: string, history?: readonly HistoryPoint[]): string {
  const providerBars = (rows: ReportData['providers']['ipv4'], written: (n: string) => string) =>
    rows.map((p) => ({ label: `${p.name} (${p.category})`, value: BigInt(p.addresses), detail: written(p.addresses) }));
  const organisations = data.organisations.map((o) => ({ label: organisationLabel(o.name, o.asns), value: BigInt(o.addresses), detail: count(o.addresses) }));
  const prefixes = [
    ...data.prefixes.ipv4.map(([p, n]) => ({ label: p < 0 ? 'IPv4 ranges' : `IPv4 /${p}`, value: BigInt(n), detail: count(n) })),
    ...data.prefixes.ipv6.map(([p, n]) => ({ label: p < 0 ? 'IPv6 ranges' : `IPv6 /${p}`, value: BigInt(n), detail: count(n) })),
  ];
  const broadest = data.broadest.map((b) => ({
    label: `line ${b.line + 1}: ${b.text}`,
    value: BigInt(b.addresses),
    detail: `${count(b.addresses)}${b.codes.length ? ` · ${b.codes.join(', ')}` : ''}`,
    line: b.line,
  }));
  const findings = data.findings.map((f) => ({ label: f.code, value: BigInt(f.count), detail: count(f.count) }));
  const scopes = data.scopes.map((s) => ({ label: scopeLabel(s), value: BigInt(s.ipv4), detail: `${count(s.ipv4)} IPv4 · ${amount6(s.ipv6)} IPv6` }));
  return htmlPage(
    'Blocklist report',
    `<h1>Blocklist report: ${escape(fileName)}</h1>
<p class="muted">${escape(data.format)} · ${count(data.duplicates)} duplicates</p>
<p><button data-export="markdown">Export as Markdown</button><button data-export="csv">Export as CSV</button></p>
<div class="totals">
  <div class="total"><div class="muted">IPv4</div><div class="big">${count(data.ipv4.addresses)}</div><div class="muted">unique addresses from ${count(data.ipv4.entries)} entries · ${formatShare(data.ipv4.share)} of the space</div></div>
  <div class="total"><div class="muted">IPv6</div><div class="big" title="${count(data.ipv6.addresses)} addresses">${amount6(data.ipv6.addresses)}</div><div class="muted">unique addresses from ${count(data.ipv6.entries)} entries · ${formatShare(data.ipv6.share)} of the space</div></div>
</div>
${data.scopes.length > 0 ? section('What each scope blocks, by its own rule (IPv4 scale)', bars(scopes), '') : ''}
${section('IPv4 addresses by provider', bars(providerBars(data.providers.ipv4, count)), 'No known provider is blocked (or no ASN data).')}
${section('IPv6 addresses by provider', bars(providerBars(data.providers.ipv6, amount6)), 'No known provider is blocked (or no ASN data).')}
${section('Addresses by organisation (IPv4)', bars(organisations) + ownershipHtml(data), 'No ASN data.')}
${section('Entries by prefix length', bars(prefixes), 'No entries.')}
${section('Findings', bars(findings), 'No findings.')}
${section('The broadest entries', bars(broadest), 'No entries.')}
${history ? section(`History: IPv4 addresses blocked after ${history.length === 1 ? 'its one commit' : `each of its last ${history.length} commits`}`, bars(historyBars(history)), '') : ''}`,
    cspSource,
    nonce,
  );
}

/** A bar per commit: its day, short hash and subject, and what the list blocked after it. */
function historyBars(history: readonly HistoryPoint[]): { label: string; value: bigint; detail: string }[] {
  return history.map((point) => ({
    label: `${point.date.slice(0, 10)} ${point.hash.slice(0, 7)} ${point.subject}`,
    value: BigInt(point.ipv4),
    detail: `${count(point.ipv4)}${point.ipv6 === '0' ? '' : ` · IPv6 ${amount6(point.ipv6)}`}`,
  }));
}

/** A section with a heading, or its `empty` text when it has no body. */
export function section(title: string, body: string, empty: string): string {
  return `<section><h2>${title}</h2>${body || `<p class="empty">${empty}</p>`}</section>`;
}

/**
 * A webview page: the theme's colours, a policy that allows only this page's style and script (`nonce`), and a script
 * that sends the extension clicks on `[data-line]` (reveal that line), `[data-uri]` (open that file) and `[data-export]`
 * (export in that format).
 */
export function htmlPage(title: string, body: string, cspSource: string, nonce: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${cspSource} 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escape(title)}</title>
<style nonce="${nonce}">
  body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 0 1.5em 2em; }
  h1 { font-size: 1.4em; font-weight: 600; } h2 { font-size: 1.1em; margin-top: 1.6em; border-bottom: 1px solid var(--vscode-panel-border); padding-bottom: .3em; }
  .totals { display: flex; gap: 2em; flex-wrap: wrap; } .total { background: var(--vscode-editorWidget-background); padding: .8em 1.2em; border-radius: 4px; }
  .total .big { font-size: 1.5em; font-weight: 600; font-variant-numeric: tabular-nums; } .muted, .empty { color: var(--vscode-descriptionForeground); }
  .warning { color: var(--vscode-editorWarning-foreground); font-weight: 600; }
  table.bars { width: 100%; border-collapse: collapse; table-layout: fixed; } table.bars th { width: 38%; text-align: left; font-weight: normal; padding: 2px 1em 2px 0; overflow-wrap: anywhere; }
  table.bars td { padding: 2px 0; } table.bars td.num { width: 30%; overflow-wrap: anywhere; white-space: normal; }
  .total .big { overflow-wrap: anywhere; } .bar { display: block; width: 100%; height: .9em; } .bar rect { fill: var(--vscode-charts-blue, var(--vscode-progressBar-background)); }
  .num { text-align: right; white-space: nowrap; padding-left: 1em; font-variant-numeric: tabular-nums; } a { color: var(--vscode-textLink-foreground); }
  ul.entries { list-style: none; padding-left: 0; font-family: var(--vscode-editor-font-family); } .plus { color: var(--vscode-gitDecoration-addedResourceForeground); } .minus { color: var(--vscode-gitDecoration-deletedResourceForeground); }
  table.grid { border-collapse: collapse; } table.grid th, table.grid td { border: 1px solid var(--vscode-panel-border); padding: 2px 6px; text-align: left; font-variant-numeric: tabular-nums; }
  .heat { text-align: right; } .heat-self { color: var(--vscode-descriptionForeground); } .heat-1 { background: color-mix(in srgb, var(--vscode-charts-blue) 12%, transparent); }
  .heat-2 { background: color-mix(in srgb, var(--vscode-charts-blue) 28%, transparent); } .heat-3 { background: color-mix(in srgb, var(--vscode-charts-blue) 45%, transparent); }
  .heat-4 { background: color-mix(in srgb, var(--vscode-charts-blue) 62%, transparent); } .heat-5 { background: color-mix(in srgb, var(--vscode-charts-blue) 80%, transparent); }
  button { background: var(--vscode-button-background); color: var(--vscode-button-foreground); border: 0; padding: .4em .9em; margin-right: .5em; cursor: pointer; }
</style>
</head>
<body>
${body}
<script nonce="${nonce}">
  const vscode = acquireVsCodeApi();
  document.addEventListener('click', (event) => {
    const target = event.target.closest('[data-line], [data-export], [data-uri]');
    if (!target) return;
    event.preventDefault();
    if (target.dataset.line !== undefined) vscode.postMessage({ type: 'reveal', line: Number(target.dataset.line) });
    else if (target.dataset.uri !== undefined) vscode.postMessage({ type: 'open', uri: target.dataset.uri });
    else vscode.postMessage({ type: 'export', format: target.dataset.export });
  });
</script>
</body>
</html>`;
}

/** The report as Markdown; names and file text escaped, so that they read as they are and leave the tables whole. */
export function reportMarkdown(data: ReportData, fileName: string): string {
  const table = (header: string[], rows: string[][]) =>
    [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
  return [
    `# Blocklist report: ${markdownText(fileName)}`,
    '',
    `${data.format} · ${count(data.duplicates)} duplicates`,
    '',
    table(
      ['family', 'entries', 'unique addresses', 'share of the space'],
      [
        ['IPv4', count(data.ipv4.entries), count(data.ipv4.addresses), formatShare(data.ipv4.share)],
        ['IPv6', count(data.ipv6.entries), amount6(data.ipv6.addresses), formatShare(data.ipv6.share)],
      ],
    ),
    '',
    ...(data.scopes.length > 0
      ? [
          '## Scopes',
          '',
          table(
            ['scope', 'IPv4 addresses', 'IPv6 addresses'],
            data.scopes.map((s) => [markdownText(scopeLabel(s)), count(s.ipv4), amount6(s.ipv6)]),
          ),
          '',
        ]
      : []),
    '## Addresses by provider',
    '',
    table(
      ['provider', 'family', 'addresses'],
      [
        ...data.providers.ipv4.map((p) => [`${markdownText(p.name)} (${p.category})`, 'IPv4', count(p.addresses)]),
        ...data.providers.ipv6.map((p) => [`${markdownText(p.name)} (${p.category})`, 'IPv6', amount6(p.addresses)]),
      ],
    ),
    '',
    '## Addresses by organisation (IPv4)',
    '',
    table(
      ['organisation', 'addresses'],
      data.organisations.map((o) => [markdownText(organisationLabel(o.name, o.asns)), count(o.addresses)]),
    ),
    '',
    ...ownershipNotes(data).map(({ text, warning }) => `${warning ? '**' : '_'}${markdownText(text)}${warning ? '**' : '_'}\n`),
    '## Findings',
    '',
    table(
      ['code', 'count'],
      data.findings.map((f) => [f.code, count(f.count)]),
    ),
    '',
    '## The broadest entries',
    '',
    table(
      ['line', 'entry', 'addresses', 'findings'],
      data.broadest.map((b) => [String(b.line + 1), `\`${b.text}\``, count(b.addresses), b.codes.join(', ')]),
    ),
    '',
  ].join('\n');
}

/** One CSV of every figure: section,name,value; no cell a spreadsheet would run as a formula. */
export function reportCsv(data: ReportData): string {
  const rows: string[][] = [
    ['section', 'name', 'value'],
    ['totals', 'ipv4 entries', String(data.ipv4.entries)],
    ['totals', 'ipv4 addresses', data.ipv4.addresses],
    ['totals', 'ipv6 entries', String(data.ipv6.entries)],
    ['totals', 'ipv6 addresses', data.ipv6.addresses],
    ['totals', 'duplicates', String(data.duplicates)],
    ...data.scopes.flatMap((s) => [
      ['scope ipv4', scopeLabel(s), s.ipv4],
      ['scope ipv6', scopeLabel(s), s.ipv6],
    ]),
    ...data.providers.ipv4.map((p) => ['ipv4 provider', p.name, p.addresses]),
    ...data.providers.ipv6.map((p) => ['ipv6 provider', p.name, p.addresses]),
    ...data.organisations.map((o) => ['organisation', organisationLabel(o.name, o.asns), o.addresses]),
    ...(data.ownershipData
      ? [
          ['ownership data', 'source', `${data.ownershipData.about.source} ${data.ownershipData.about.version}`],
          ['ownership data', 'date', data.ownershipData.about.date],
          ['ownership data', 'age in days', String(data.ownershipData.ageDays)],
        ]
      : []),
    ...data.prefixes.ipv4.map(([p, n]) => ['ipv4 prefix', p < 0 ? 'range' : `/${p}`, String(n)]),
    ...data.prefixes.ipv6.map(([p, n]) => ['ipv6 prefix', p < 0 ? 'range' : `/${p}`, String(n)]),
    ...data.findings.map((f) => ['finding', f.code, String(f.count)]),
    ...data.broadest.map((b) => ['broadest entry', `line ${b.line + 1}: ${b.text}`, b.addresses]),
  ];
  return rows.map(csvRecord).join('');
}

/** Under the owners: that the data is out of date (when it is), which data it is, of what day and whose, and its publisher's caveat. */
function ownershipNotes({ ownershipData }: ReportData): { readonly text: string; readonly warning: boolean }[] {
  if (!ownershipData) return [];
  const stale = staleWarning(ownershipData);
  return [...(stale ? [{ text: stale, warning: true }] : []), { text: dataNote(ownershipData), warning: false }];
}

function ownershipHtml(data: ReportData): string {
  return ownershipNotes(data)
    .map(({ text, warning }) => `<p class="${warning ? 'warning' : 'muted'}">${escape(text)}</p>`)
    .join('');
}

/** `set trusted (allow, most specific decides)`: a scope, its role and its rule, for the report. */
function scopeLabel(scope: ReportData['scopes'][number]): string {
  const rule = { union: 'union', 'most-specific': 'most specific decides', 'first-match': 'first match decides', 'line-except': 'rules less their exceptions' }[scope.evaluation];
  return `${scope.label} (${scope.role === 'allow' ? 'allowlist, ' : ''}${rule})`;
}
