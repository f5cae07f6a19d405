// Runs every compiled test file (out/test/**/*.test.js) with node's built-in test runner,
// then prints the closing line CI reads: "N passed, N failed".
// `npm test` compiles first (see "pretest"); arguments filter test files by substring.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = 'out/test';
const tap = 'out/test-results.tap';
const filters = process.argv.slice(2);
const files = readdirSync(root, { recursive: true })
  .map((file) => join(root, String(file)))
  .filter((file) => file.endsWith('.test.js'))
  // tsc leaves the output of a deleted or renamed test behind: only tests whose source is there run.
  .filter((file) => existsSync(file.replace(/^out[/\\]/, '').replace(/\.js$/, '.ts')))
  .filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)))
  .sort();
if (files.length === 0) {
  console.error(`No test files matched under ${root}: run "npm test", which compiles them first.`);
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--test', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...files],
  { stdio: 'inherit' },
);
const summary = readFileSync(tap, 'utf8');
const count = (name) => Number([...summary.matchAll(new RegExp(`^# ${name} (\\d+)$`, 'gm'))].at(-1)?.[1] ?? '0');
// A test cancelled by its timeout did not pass: it counts as failed.
const failed = count('fail') + count('cancelled');
console.log(`${count('pass')} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : (result.status ?? 1));
