/**
 * `blocklist-audit` output at scale and when it cannot be delivered:
 * millions of findings streamed as valid text, JSON and SARIF within
 * memory, a reader that stops early, a full disk. The CLI runs as a child
 * process, on lists generated into a temporary folder.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { assertValidSarif } from './sarifShape';

const root = resolve(__dirname, '..', '..');
const cliPath = resolve(root, 'dist/cli.js');
const dir = mkdtempSync(join(tmpdir(), 'blocklist-cli-output-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// Loaded into the CLI's process: reports its peak memory (resident set, KiB) on descriptor 3 as it exits.
const peakMemory = join(dir, 'peakMemory.js');
writeFileSync(peakMemory, `process.on('exit', () => require('node:fs').writeSync(3, String(process.resourceUsage().maxRSS)));\n`);

/** A list of `lines` copies of one address: every line after the first a duplicate (a warning). */
function duplicates(lines: number): string {
  const file = join(dir, `duplicates-${lines}.txt`);
  writeFileSync(file, '1.2.3.4\n'.repeat(lines));
  return file;
}

interface Run {
  readonly status: number | null;
  readonly stderr: string;
  /** Peak resident memory of the CLI, in MiB. */
  readonly peakMiB: number;
}

/** Runs the CLI, handing its standard output to `read` chunk by chunk; `read` returning false closes the pipe, as `| head` does. */
function run(args: readonly string[], read: (chunk: Buffer) => boolean | void = () => {}): Promise<Run> {
  return new Promise((done, fail) => {
    const env = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined }; // text output plain, whatever the test's environment
    const child = spawn(process.execPath, ['--require', peakMemory, cliPath, ...args], { stdio: ['ignore', 'pipe', 'pipe', 'pipe'], env });
    const [, stdout, stderrPipe, peakPipe] = child.stdio;
    if (!stdout || !stderrPipe || !peakPipe) throw new Error('spawn gave no pipes');
    let stderr = '';
    let peak = '';
    stderrPipe.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    peakPipe.on('data', (chunk: Buffer) => (peak += chunk.toString()));
    stdout.on('data', (chunk: Buffer) => {
      if (read(chunk) === false) stdout.destroy();
    });
    child.on('error', fail);
    child.on('close', (status) => done({ status, stderr, peakMiB: Number(peak) / 1024 }));
  });
}

/** Splits a stream into lines, the last one possibly unfinished until `end`. */
class Lines {
  private rest = '';
  constructor(private readonly line: (text: string) => void) {}
  push(chunk: Buffer): void {
    const lines = (this.rest + chunk.toString()).split('\n');
    this.rest = lines.pop() ?? '';
    for (const text of lines) this.line(text);
  }
  end(): void {
    if (this.rest !== '') this.line(this.rest);
  }
}

test('check --format sarif on 1 M duplicate lines: 25,000 results, valid SARIF, the run saying how many were left out', async () => {
  const chunks: Buffer[] = [];
  const { status, stderr } = await run(['check', '--format', 'sarif', duplicates(1_000_000)], (chunk) => void chunks.push(chunk));
  assert.equal(stderr, '');
  assert.equal(status, 0, 'duplicates are warnings: no finding reaches --fail-on error');
  const log = JSON.parse(Buffer.concat(chunks).toString());
  assertValidSarif(log);
  const [only] = log.runs;
  assert.equal(only.results.length, 25_000);
  assert.deepEqual([only.properties.maxResults, only.properties.omittedResults], [25_000, 974_999]);
  assert.match(only.invocations[0].toolExecutionNotifications[0].message.text, /^974,999 results were left out by --max-results 25,000/);
  assert.deepEqual(only.results.at(-1).locations[0].physicalLocation.region, { startLine: 25_001, startColumn: 1, endColumn: 8 });
});

// 2 M duplicates make 1,999,999 findings, about 690 MB of JSON: more than the longest string V8 holds (2^29 characters).
test('check --format json on 2 M duplicate lines: every finding, valid JSON, in the memory the SARIF of the same list takes', async () => {
  const file = duplicates(2_000_000);
  // The pretty-printed layout lets each finding be parsed alone, and the rest with the findings left out.
  const skeleton: string[] = [];
  let item: string[] | undefined;
  let findings = 0;
  let bytes = 0;
  const lines = new Lines((line) => {
    if (line === '      {') item = [];
    if (!item) return void skeleton.push(line);
    item.push(line);
    if (line === '      },' || line === '      }') {
      const finding = JSON.parse(item.join('\n').replace(/,$/, ''));
      findings++;
      assert.equal(finding.line, findings + 1);
      item = undefined;
    }
  });
  const json = await run(['check', '--format', 'json', '--fail-on', 'warning', file], (chunk) => {
    bytes += chunk.length;
    lines.push(chunk);
  });
  lines.end();
  assert.equal(json.stderr, '');
  assert.equal(json.status, 1, '--fail-on warning: the duplicates fail');
  assert.ok(bytes > 2 ** 29, `${bytes} bytes of JSON`);
  assert.equal(findings, 1_999_999);
  const [report] = JSON.parse(skeleton.join('\n'));
  assert.deepEqual(report.findings, []);
  assert.equal(report.omitted, 0);
  assert.deepEqual(report.ipv4, { entries: 2_000_000, addresses: '1' });

  const sarif = await run(['check', '--format', 'sarif', file]);
  assert.equal(sarif.status, 0);
  // Neither holds its findings: the JSON's peak is the SARIF's and the garbage of 2 M findings written (about 1.4 times it);
  // holding the findings took four times the SARIF's (1,339 MB, where writing them takes 434 MB).
  assert.ok(json.peakMiB < sarif.peakMiB * 2, `${json.peakMiB.toFixed(0)} MiB for all findings as JSON, ${sarif.peakMiB.toFixed(0)} MiB for the SARIF`);
});

test('check text on 300,000 covered lines writes every finding in a heap of 48 MB: findings are not held until written', () => {
  const file = join(dir, 'covered.txt');
  writeFileSync(file, ['45.0.0.0/8', ...Array.from({ length: 300_000 }, (_, i) => `45.${i >> 16}.${(i >> 8) & 255}.${i & 255}`)].join('\n'));
  // Held, 300,000 findings with their messages and related places take more than the whole heap.
  const result = spawnSync(process.execPath, ['--max-old-space-size=48', cliPath, 'check', '--fail-on', 'never', file], {
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 1 << 30,
    encoding: 'utf8',
  });
  assert.equal(result.stderr, '');
  assert.equal(result.status, 0);
  assert.match(result.stdout, /✖ 300,001 problems \(0 errors, 300,001 warnings\)\n$/);
});

test('check text: a reader that stops after the first lines ends the CLI quietly, with the status of the findings', async () => {
  let first: string[] = [];
  const { status, stderr } = await run(['check', '--fail-on', 'warning', duplicates(100_000)], (chunk) => {
    first = chunk.toString().split('\n').slice(0, 2);
    return false;
  });
  // The first row is already padded to the width of line 100,000: the widths are measured before any row is written.
  assert.deepEqual(first, [join(dir, 'duplicates-100000.txt'), '       2:1  warning  Duplicate of line 1 (1.2.3.4)  duplicate']);
  assert.equal(stderr, '');
  assert.equal(status, 1);
});

test('ranges: standard error closed early ends the CLI quietly, its output whole', async () => {
  // 100,000 single addresses apart, each followed by an invalid line: megabytes on stdout and on stderr.
  const input = Array.from({ length: 100_000 }, (_, i) => `10.${i >> 15}.${(i >> 7) & 255}.${(i & 127) * 2}\nx\n`).join('');
  const child = spawn(process.execPath, [cliPath, 'ranges', '-'], { stdio: ['pipe', 'pipe', 'pipe'] });
  child.stderr.once('data', () => child.stderr.destroy());
  let ranges = 0;
  child.stdout.on('data', (chunk: Buffer) => (ranges += chunk.toString().split('\n').length - 1));
  child.stdin.end(input);
  const status = await new Promise((done) => child.on('close', done));
  assert.equal(status, 0);
  assert.equal(ranges, 100_000);
});

const SMALL = join(dir, 'small.txt');
writeFileSync(SMALL, '1.2.3.4\n1.2.3.4\n');

for (const args of [['ranges', SMALL], ['check', '--format', 'json', SMALL], ['--help']]) {
  test(`${args[0]}: a full disk is one line on stderr and exit status 2`, () => {
    const full = openSync('/dev/full', 'w');
    try {
      const { status, stderr } = spawnSync(process.execPath, [cliPath, ...args], { stdio: ['ignore', full, 'pipe'], encoding: 'utf8' });
      assert.equal(
        stderr,
        'blocklist-audit: Cannot write to standard output (ENOSPC: no space left on device, write). Check that where it goes, a file, a disk or a pipe, can take it.\n',
      );
      assert.equal(status, 2);
    } finally {
      closeSync(full);
    }
  });
}
