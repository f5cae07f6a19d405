/**
 * `check`'s text output, in the shape of ESLint's "stylish" formatter: each
 * file's name; a row per finding, `line:column  severity  message  code`,
 * in columns; the file's totals; a blank line between files; and a closing
 * count of errors and warnings. Information and hints are listed but not
 * counted, as ESLint counts only what can fail a run.
 *
 * Rows are written one by one as they are formatted, so millions of
 * findings take no memory beyond the audit's: the columns' widths come
 * from a first pass over the file's first rows, each finding written and
 * measured without building a row, then dropped.
 */
import { formatAddresses, formatAmount } from '../core/addresses/display';
import { formatCount } from '../core/primitives/formatCount';
import type { FamilyTotals, Finding } from '../core/analysis/audit';
import { columnFinder, countLineBreaks } from '../core/formats/format';
import type { Palette } from './colour';
import { RANKED, shownFindings, total, type FileReport, type ProviderCount, type SeverityCounts } from './findings';
import type { Output } from './output';

/** Messages longer than this are not padded: one long message would push every row's code past a terminal's width. */
const MESSAGE_COLUMN = 80;

/**
 * How many of a file's rows set the columns' widths. A later row wider in
 * some column pushes the rest of its row to the right, as a message over
 * MESSAGE_COLUMN characters always does; only line numbers, which grow down
 * the file, are padded to the file's last line. Measuring every row would
 * write every message twice: a third of `check`'s time on millions of findings.
 */
const MEASURED_ROWS = 10_000;

/** The widest line:column parts, severity and (padded) message of a file's rows. */
interface Widths {
  readonly line: number;
  readonly column: number;
  readonly severity: number;
  readonly message: number;
}

export function writeStylish(out: Output, reports: readonly FileReport[], maxResults: number, palette: Palette, notes: readonly string[]): void {
  reports.forEach((file, i) => {
    if (i > 0) out.line('');
    writeFile(out, file, maxResults, palette);
  });
  if (notes.length > 0) out.line('');
  for (const note of notes) out.line(note);
  const summary = problems(reports, palette);
  if (summary !== undefined) {
    out.line('');
    out.line(summary);
  }
}

function writeFile(out: Output, file: FileReport, maxResults: number, palette: Palette): void {
  out.line(palette.file(file.file));
  writeRows(out, file.document.text, shownFindings(file), file.shown, palette);
  const { ipv4, ipv6 } = file.result;
  const findings = total(file.findings.counts);
  const omitted = findings - total(file.shown);
  const cut = omitted > 0 ? ` (${formatCount(omitted)} not shown: --max-results ${formatCount(maxResults)})` : '';
  out.line(`  ${file.document.format.id} format, ${counted(findings, 'finding', 'findings')}${cut}`);
  out.line(`  IPv4: ${familyTotals(4, ipv4, file.providers.ipv4)}`);
  out.line(`  IPv6: ${familyTotals(6, ipv6, file.providers.ipv6)}`);
  for (const note of file.readWith ?? []) out.line(`  ${note}`);
}

/**
 * A row per finding of the document whose text is `text`: `line:column  severity  message  code`,
 * in columns. `findings` is passed over twice: its first rows to measure the columns, then all to write the rows;
 * `severities` counts them by severity.
 */
export function writeRows(out: Output, text: string, findings: Iterable<Finding>, severities: SeverityCounts, palette: Palette): void {
  // The line starts found once for both passes.
  const columnOf = columnFinder(text);
  const widths = measure(text, findings, severities, columnOf);
  for (const f of findings) {
    const line = String(f.line + 1);
    const column = String(columnOf(f.start, f.line) + 1);
    const message = f.message.slice(0, f.message.length - finalStop(f.message));
    out.line(
      `  ${padding(line, widths.line)}${palette.muted(`${line}:${column}`)}${padding(column, widths.column)}` +
        `  ${palette.severity[f.severity](f.severity)}${padding(f.severity, widths.severity)}` +
        `  ${message}${padding(message, widths.message)}  ${palette.muted(f.code)}`,
    );
  }
}

/** The columns' widths, from the numbers and lengths of the first MEASURED_ROWS rows alone (the severities' from their counts). */
function measure(text: string, findings: Iterable<Finding>, severities: SeverityCounts, columnOf: (offset: number, line: number) => number): Widths {
  let line = 0;
  let column = 0;
  let message = 0;
  const severity = Math.max(0, ...RANKED.filter((name) => severities[name] > 0).map((name) => name.length));
  let rows = 0;
  for (const f of findings) {
    if (rows++ === MEASURED_ROWS) {
      line = Math.max(line, countLineBreaks(text, 0, text.length) + 1);
      break;
    }
    line = Math.max(line, f.line + 1);
    column = Math.max(column, columnOf(f.start, f.line) + 1);
    const length = f.message.length - finalStop(f.message);
    if (length <= MESSAGE_COLUMN) message = Math.max(message, length);
  }
  return { line: String(line).length, column: String(column).length, severity, message };
}

/** 1 when the message ends in a full stop after a word, which a row leaves out before the code, as ESLint does; else 0. */
function finalStop(message: string): number {
  return message.endsWith('.') && message.length > 1 && message[message.length - 2] !== ' ' ? 1 : 0;
}

/**
 * Spaces that bring `text` to `width` characters (UTF-16 units, as ESLint
 * counts them: a row quoting wide or astral characters is off by those).
 */
function padding(text: string, width: number): string {
  const length = Math.max(width - text.length, 0);
  return (SPACES[length] ??= ' '.repeat(length));
}

/** Runs of spaces by length, each made once: a row takes four, and a file may have millions. No longer than a column is wide (MESSAGE_COLUMN at most). */
const SPACES: string[] = [];

/**
 * `12 entries blocking 1,844,224 addresses, of which Google Cloud 901,120 · Google 131,072`,
 * `3 entries blocking 3 /48s, of which Telegram 2^81 addresses (2 /48s)`: one family, never summed with the other, its addresses counted once.
 */
function familyTotals(version: 4 | 6, totals: FamilyTotals, providers: readonly ProviderCount[]): string {
  const blocked = `${counted(totals.entries, 'entry', 'entries')} blocking ${formatAddresses(version, totals.addresses)}`;
  if (providers.length === 0) return blocked;
  return `${blocked}, of which ${providers.map((p) => `${p.name} ${formatAmount(version, BigInt(p.addresses))}`).join(' · ')}`;
}

/** `✖ 20 problems (0 errors, 20 warnings)` over the findings of every file (not only those shown), or undefined when there are none. */
function problems(reports: readonly FileReport[], palette: Palette): string | undefined {
  const errors = reports.reduce((sum, file) => sum + file.findings.counts.error, 0);
  const warnings = reports.reduce((sum, file) => sum + file.findings.counts.warning, 0);
  if (errors + warnings === 0) return undefined;
  const paint = palette.summary[errors > 0 ? 'error' : 'warning'];
  return paint(`✖ ${counted(errors + warnings, 'problem', 'problems')} (${counted(errors, 'error', 'errors')}, ${counted(warnings, 'warning', 'warnings')})`);
}

export function counted(n: number | bigint, one: string, many: string): string {
  return `${formatCount(n)} ${n === 1 || n === 1n ? one : many}`;
}
