/**
 * `check`'s text output in ESLint's "stylish" shape. A golden file holds the
 * format byte for byte (only UPDATE_EXPECTED=1 writes it, and a missing one
 * fails; review the diff); the closing count leaves information and hints
 * out, and agrees with what --quiet shows.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';

const root = resolve(__dirname, '..', '..');
const cliPath = resolve(root, 'dist/cli.js');
const fixtures = resolve(root, 'test/fixtures/cli');
const expectedFile = resolve(fixtures, 'check.expected');
/** Two files, named as given (relative to the fixtures) so the golden file holds no machine's paths. */
const GOLDEN_ARGS = ['check', 'plain.txt', 'sets.ipset'];

/** The CLI in the fixtures' folder, its output piped. */
function check(args: readonly string[], input?: string) {
  const result = spawnSync(process.execPath, [cliPath, ...args], { cwd: fixtures, input, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('check writes the golden file: files by name, rows in columns, totals, a blank line between files, the count of problems', () => {
  const { status, stdout, stderr } = check(GOLDEN_ARGS);
  assert.equal(stderr, '');
  assert.equal(status, 1, 'the fixture has errors');
  if (process.env.UPDATE_EXPECTED) writeFileSync(expectedFile, stdout);
  assert.ok(existsSync(expectedFile), 'check.expected is missing: run the tests with UPDATE_EXPECTED=1 to write it, then review the diff before committing it.');
  assert.equal(stdout, readFileSync(expectedFile, 'utf8'));
});

test('the count leaves information and hints out, and is left out when nothing is counted', () => {
  // A hint (mergeable) and information (partial-overlap), no error or warning.
  const { status, stdout } = check(['check', '-'], '6.6.6.0/25\n6.6.6.128/25\n7.7.7.0-7.7.7.200\n7.7.7.128/25\n');
  assert.equal(status, 0);
  assert.equal(
    stdout,
    [
      '-',
      '  2:1  hint         Together with line 1 (6.6.6.0/25) this is exactly 6.6.6.0/24  mergeable',
      '  4:1  information  Overlaps line 3 (7.7.7.0-7.7.7.200) on 73 addresses           partial-overlap',
      '  plain format, 2 findings',
      '  IPv4: 4 entries, 512 unique addresses',
      '  IPv6: 0 entries, 0 unique addresses',
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
  const { stdout } = check(['check', '-'], '5.5.5.5\n5.5.5.5\n1.2.3.4/24\n300.1.1.1\n');
  assert.deepEqual(stdout.split('\n').slice(1, 4), [
    '  2:1  warning  Duplicate of line 1 (5.5.5.5)                                     duplicate',
    '  3:1  warning  1.2.3.4/24 has host bits set: it is read as 1.2.3.0/24. Write 1.2.3.0/24 to say so  host-bits-set',
    '  4:1  error    Octet 300 is out of range: each part of an IPv4 address is 0–255  invalid-entry',
  ]);
});
