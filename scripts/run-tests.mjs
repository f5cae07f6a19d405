// Runs every compiled test file (out/test/**/*.test.js) with node's built-in test runner.
// `npm test` compiles first (see "pretest"); extra arguments filter files by substring.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = 'out/test';
const filters = process.argv.slice(2);
const files = readdirSync(root, { recursive: true })
  .map((file) => join(root, String(file)))
  .filter((file) => file.endsWith('.test.js'))
  .filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)))
  .sort();
if (files.length === 0) {
  console.error(`No test files matched under ${root}.`);
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
