/**
 * Random and adversarial documents as files for the command-line tool, a
 * fresh process each: `check --format json` and `count --json` end within
 * ten times the 1 s budget, with status 0 and no stack trace, print JSON,
 * and count what the core counts in the same text; what they echo of a line
 * is short and shows no raw control character.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { audit } from '../../server/src/core/analysis/audit';
import { DEFAULT_AUDIT_OPTIONS } from '../../server/src/core/analysis/options';
import { parseDocument } from '../../server/src/core/document/document';
import { notTextAt } from '../../server/src/core/document/encoding';
import { detectFormat } from '../../server/src/core/formats/registry';
import { Networks } from '../../server/src/core/ownership/networks';
import { fuzzDocument, hostileDocument } from './documents';
import { STEP_LIMIT_MS } from './guard';
import { check, SEED } from './property';

const root = resolve(__dirname, '..', '..', '..');
const CLI = join(root, 'dist/cli.js');
const networks = Networks.fromBytes(readFileSync(join(root, 'dist/asn.bin')));
const folder = mkdtempSync(join(tmpdir(), 'fuzz-cli-'));
after(() => rmSync(folder, { recursive: true }));

/** The longest line the tool may write about a document's line: an excerpt, not the line. */
const MAX_OUTPUT_LINE = 1000;
/** Whether a terminal acts on the character: a C0 control but tab and line breaks, DEL, or a C1 control. */
function isRawControl(c: number): boolean {
  return (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || (c >= 0x7f && c <= 0x9f);
}

function withoutRawControls(text: string): string {
  let kept = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    if (!isRawControl(text.charCodeAt(i))) continue;
    kept += text.slice(from, i);
    from = i + 1;
  }
  return kept + text.slice(from);
}

/** Documents, control characters and long lines included, as UTF-8 or as UTF-16 with its byte-order mark. */
const files = fc.tuple(fc.oneof(fuzzDocument, hostileDocument), fc.constantFrom('utf8', 'utf8', 'utf8', 'utf16le', 'utf16be')).map(([input, encoding]) => ({ ...input, encoding }));

function encode(text: string, encoding: string): Buffer {
  if (encoding === 'utf8') return Buffer.from(text, 'utf8');
  const le = Buffer.from(`\ufeff${text}`, 'utf16le');
  return encoding === 'utf16le' ? le : le.swap16();
}

/** Runs the tool; it must end in time with `status` (0 unless said), no stack trace and only short, printable lines about the document. Returns its output, or on a failure what it said of it. */
function run(args: string[], status = 0): string {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: STEP_LIMIT_MS, maxBuffer: 1 << 30 });
  const command = `blocklist-audit ${args.join(' ')}`;
  assert.equal(result.error, undefined, `${command} did not end within ${STEP_LIMIT_MS / 1000} s (ten times the budget): ${String(result.error)}`);
  assert.equal(result.status, status, `${command} exited with ${result.status}: ${result.stderr.slice(0, 2000)}`);
  assert.doesNotMatch(result.stderr, /\n\s+at /, `${command} printed a stack trace`);
  for (const line of `${result.stdout}\n${result.stderr}`.split('\n')) {
    assert.ok(line.length <= MAX_OUTPUT_LINE, `${command} wrote a line of ${line.length} characters`);
    assert.equal(withoutRawControls(line), line, `${command} wrote a raw control character`);
  }
  return status === 0 ? result.stdout : result.stderr;
}

let cases = 0;

test(`fuzz: the command-line tool checks and counts any file in time, as the core does (FUZZ_SEED=${SEED})`, { timeout: 600_000 }, () =>
  check(
    fc.property(files, (input) => {
      const name = input.name || 'untitled';
      const format = detectFormat(name, input.text, input.format);
      const text = input.text;
      // A folder per case: the file keeps its name, which detection reads.
      const file = join(folder, String(++cases), name);
      mkdirSync(join(folder, String(cases)));
      writeFileSync(file, encode(text, input.encoding));
      const chosen = input.format ? ['--input-format', input.format] : [];
      if (notTextAt(text) >= 0) {
        // Binary noise: a usage error (status 2) that names the file and the NUL, for both commands.
        for (const args of [
          ['check', '--format', 'json', '--fail-on', 'never'],
          ['count', '--json'],
        ]) {
          assert.match(run([...args, ...chosen, file], 2), /it is not text \(a NUL character at line \d+, column \d+\)/);
        }
        return;
      }
      const result = audit(parseDocument(text, format), { ...DEFAULT_AUDIT_OPTIONS, maxFindings: Number.MAX_SAFE_INTEGER }, networks);
      const totals = {
        ipv4: { entries: result.ipv4.entries, addresses: String(result.ipv4.addresses) },
        ipv6: { entries: result.ipv6.entries, addresses: String(result.ipv6.addresses) },
      };
      const [report] = JSON.parse(run(['check', '--format', 'json', '--fail-on', 'never', ...chosen, file])) as {
        format: string;
        ipv4: unknown;
        ipv6: unknown;
        findings: unknown[];
      }[];
      assert.deepEqual(
        { format: report.format, ipv4: report.ipv4, ipv6: report.ipv6, findings: report.findings.length },
        { format: format.id, ...totals, findings: result.findings.length },
      );
      const counted = JSON.parse(run(['count', '--json', ...chosen, file])) as { ipv4: unknown; ipv6: unknown };
      assert.deepEqual({ ipv4: counted.ipv4, ipv6: counted.ipv6 }, totals, 'count counts otherwise than check');
    }),
    6,
  ),
);
