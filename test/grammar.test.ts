/** The TextMate grammar against its assertion files (syntaxes/tests), run by vscode-tmgrammar-test. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';

const root = resolve(__dirname, '..', '..');
const tests = join(root, 'syntaxes/tests');

for (const file of readdirSync(tests).filter((name) => name.endsWith('.test.blocklist'))) {
  test(`grammar: ${file}`, () => {
    const run = spawnSync(
      join(root, 'node_modules/.bin/vscode-tmgrammar-test'),
      ['--grammar', join(root, 'syntaxes/blocklist.tmLanguage.json'), '--config', join(root, 'package.json'), join(tests, file)],
      { cwd: root, encoding: 'utf8' },
    );
    assert.equal(run.status, 0, run.stdout + run.stderr);
  });
}
