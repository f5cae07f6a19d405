/**
 * `check`'s text output in ESLint's "stylish" shape. A golden file holds the
 * format byte for byte, piped and so without colour (only UPDATE_EXPECTED=1
 * writes it, and a missing one fails; review the diff); colour comes on a
 * terminal (a pseudo-terminal from script(1)) or when forced, never under
 * NO_COLOR, and changes nothing but the escapes; the closing count leaves
 * information and hints out, and agrees with what --quiet shows.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { stripVTControlCharacters } from 'node:util';
import { PLAIN, wantsColour } from '../server/src/cli/colour';
import { Output } from '../server/src/cli/output';
import { writeRows } from '../server/src/cli/stylish';
import type { Finding } from '../server/src/core/analysis/audit';
import { anyDataAge, withoutDataLines } from './cliText';

const root = resolve(__dirname, '..', '..');
const cliPath = resolve(root, 'dist/cli.js');
const fixtures = resolve(root, 'test/fixtures/cli');
const expectedFile = resolve(fixtures, 'check.expected');
/** Two files, named as given (relative to the fixtures) so the golden file holds no machine's paths. */
const GOLDEN_ARGS = ['check', 'plain.txt', 'sets.ipset'];

/** The CLI in the fixtures' folder, its output piped, the colour variables of the test's own environment left out. */
function check(args: readonly string[], env: NodeJS.ProcessEnv = {}, input?: string) {
  const result = spawnSync(process.execPath, [cliPath, ...args], {
    cwd: fixtures,
    input,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, ...env },
  });
  return { status: result.status, stdout: anyDataAge(result.stdout), stderr: result.stderr };
}

const ESCAPE = '\x1b[';
/** `text` between an SGR escape that turns attributes on and the one that turns them off. */
const sgr = (on: string, text: string, off: string) => `${ESCAPE}${on}m${text}${ESCAPE}${off}m`;

test('check writes the golden file: files by name, rows in columns, totals, a blank line between files, the count of problems', () => {
  const { status, stdout, stderr } = check(GOLDEN_ARGS);
  assert.equal(stderr, '');
  assert.equal(status, 1, 'the fixture has errors');
  if (process.env.UPDATE_EXPECTED) writeFileSync(expectedFile, stdout);
  assert.ok(existsSync(expectedFile), 'check.expected is missing: run the tests with UPDATE_EXPECTED=1 to write it, then review the diff before committing it.');
  assert.equal(stdout, readFileSync(expectedFile, 'utf8'));
  assert.ok(!stdout.includes(ESCAPE));
});

test('FORCE_COLOR paints severities, places, codes and the count, and takes nothing else away; NO_COLOR wins over it', () => {
  const painted = check(GOLDEN_ARGS, { FORCE_COLOR: '1' }).stdout;
  const golden = readFileSync(expectedFile, 'utf8');
  assert.equal(stripVTControlCharacters(painted), golden);
  const lines = painted.split('\n');
  assert.equal(lines[0], sgr('4', 'plain.txt', '24'));
  assert.equal(
    lines[3],
    `   ${sgr('2', '5:1', '22')}   ${sgr('31', 'error', '39')}        Octet 300 is out of range: each part of an IPv4 address is 0–255            ${sgr('2', 'invalid-entry', '22')}`,
  );
  assert.equal(
    lines[8],
    `  ${sgr('2', '13:11', '22')}  ${sgr('33', 'warning', '39')}      Duplicate of line 2 (5.5.5.5)                                               ${sgr('2', 'duplicate', '22')}`,
  );
  assert.deepEqual(lines.slice(-3), ['', sgr('1;31', '✖ 9 problems (2 errors, 7 warnings)', '39;22'), '']);
  assert.equal(check(GOLDEN_ARGS, { FORCE_COLOR: '1', NO_COLOR: '1' }).stdout, golden);
  assert.equal(check(GOLDEN_ARGS, { FORCE_COLOR: '0' }).stdout, golden);
});

const script = spawnSync('script', ['--version']).status === 0;

test('on a terminal the output is in colour, unless NO_COLOR is set', { skip: !script && 'script(1) is not installed: no pseudo-terminal to run the CLI on' }, () => {
  const onTerminal = (env: NodeJS.ProcessEnv) => {
    // script runs the command on a pseudo-terminal, which ends each line with \r\n, and exits with its status (-e).
    const command = [process.execPath, cliPath, ...GOLDEN_ARGS].map((word) => `'${word}'`).join(' ');
    const result = spawnSync('script', ['-qec', command, '/dev/null'], {
      cwd: fixtures,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, TERM: 'xterm', ...env },
    });
    assert.equal(result.status, 1, result.stderr);
    return anyDataAge(result.stdout.replace(/\r\n/g, '\n'));
  };
  const golden = readFileSync(expectedFile, 'utf8');
  assert.equal(stripVTControlCharacters(onTerminal({})), golden);
  assert.ok(onTerminal({}).includes(`${ESCAPE}31merror`));
  assert.equal(onTerminal({ NO_COLOR: '1' }), golden);
  assert.equal(onTerminal({ TERM: 'dumb' }), golden);
});

// oxfmt-ignore
const COLOUR: readonly [terminal: boolean, env: NodeJS.ProcessEnv, colour: boolean][] = [
  [true, {}, true],
  [false, {}, false],
  [true, { NO_COLOR: '1' }, false],
  [true, { NO_COLOR: '' }, true], // an empty NO_COLOR is not set (no-color.org)
  [true, { TERM: 'dumb' }, false],
  [false, { FORCE_COLOR: '' }, true],
  [false, { FORCE_COLOR: 'true' }, true],
  [false, { FORCE_COLOR: '3' }, true],
  [true, { FORCE_COLOR: '0' }, false],
  [true, { FORCE_COLOR: 'false' }, false],
  [false, { FORCE_COLOR: '1', NO_COLOR: 'yes' }, false],
];

for (const [terminal, env, colour] of COLOUR) {
  test(`colour ${colour ? 'on' : 'off'} ${terminal ? 'on a terminal' : 'piped'} with ${JSON.stringify(env)}`, () => {
    assert.equal(wantsColour(terminal, env), colour);
  });
}

test('the count leaves information and hints out, and is left out when nothing is counted', () => {
  // A hint (mergeable) and information (partial-overlap), no error or warning.
  const { status, stdout } = check(['check', '-'], {}, '6.6.6.0/25\n6.6.6.128/25\n7.7.7.0-7.7.7.200\n7.7.7.128/25\n');
  assert.equal(status, 0);
  assert.equal(
    withoutDataLines(stdout),
    [
      '-',
      '  2:1  hint         Together with line 1 (6.6.6.0/25) this is exactly 6.6.6.0/24  mergeable',
      '  4:1  information  Overlaps line 3 (7.7.7.0-7.7.7.200) on 73 addresses           partial-overlap',
      '  plain format, 2 findings',
      '  IPv4: 4 entries blocking 512 addresses',
      '  IPv6: 0 entries blocking 0 addresses',
      '',
    ].join('\n'),
  );
});

test('--quiet: the rows and the count are of errors only', () => {
  const { stdout } = check(['check', '--quiet', ...GOLDEN_ARGS.slice(1)]);
  assert.deepEqual(
    stdout.split('\n').filter((line) => /^ +\d+:\d+ /.test(line) || line.startsWith('✖')),
    [
      '   5:1  error  Octet 300 is out of range: each part of an IPv4 address is 0–255  invalid-entry',
      '  14:1  error  Unexpected text after the address: ".5"                           invalid-entry',
      '✖ 2 problems (2 errors, 0 warnings)',
    ],
  );
});

test('a message longer than 80 characters is followed by its code and does not widen the message column', () => {
  const { stdout } = check(['check', '-'], {}, '5.5.5.5\n5.5.5.5\n1.2.3.4/24\n300.1.1.1\n');
  assert.deepEqual(stdout.split('\n').slice(1, 4), [
    '  2:1  warning  Duplicate of line 1 (5.5.5.5)                                     duplicate',
    '  3:1  warning  1.2.3.4/24 has host bits set: it is read as 1.2.3.0/24. Write 1.2.3.0/24 to say so  host-bits-set',
    '  4:1  error    Octet 300 is out of range: each part of an IPv4 address is 0–255  invalid-entry',
  ]);
});

test('rows past the first 10,000 are written once, not measured first; line numbers stay aligned to the last line', () => {
  // 125,000 lines; findings on the first 10,000 and then on 15,000 lines with six-digit numbers, past the measured rows.
  const text = '1.2.3.4\n'.repeat(125_000);
  const lines = [...Array.from({ length: 10_000 }, (_, n) => n), ...Array.from({ length: 15_000 }, (_, n) => 100_000 + n)];
  let pulled = 0;
  const findings: Iterable<Finding> = {
    *[Symbol.iterator]() {
      for (const line of lines) {
        pulled++;
        // Messages of several lengths, the longest among the measured rows.
        yield { code: 'duplicate', severity: 'warning', line, start: line * 8, end: line * 8 + 7, message: `Duplicate of line ${(line % 7) * 1000 + 1}` };
      }
    },
  };
  const folder = mkdtempSync(join(tmpdir(), 'stylish-'));
  try {
    const fd = openSync(join(folder, 'rows'), 'w');
    const out = new Output(fd);
    writeRows(out, text, findings, { error: 0, warning: lines.length, information: 0, hint: 0 }, PLAIN);
    out.flush();
    closeSync(fd);
    assert.ok(pulled <= lines.length + 10_001, `${pulled} findings written for ${lines.length} rows`);
    const rows = readFileSync(join(folder, 'rows'), 'utf8').split('\n').slice(0, -1);
    assert.equal(rows.length, lines.length);
    assert.equal(rows[0], '       1:1  warning  Duplicate of line 1     duplicate');
    assert.equal(rows.at(-1), '  115000:1  warning  Duplicate of line 3001  duplicate');
    assert.deepEqual(new Set(rows.map((row) => row.indexOf(':'))), new Set([8]), 'every line number padded to the width of the last line');
    assert.deepEqual(new Set(rows.map((row) => row.indexOf('duplicate', 20))), new Set([45]), 'the codes in one column');
  } finally {
    rmSync(folder, { recursive: true });
  }
});
