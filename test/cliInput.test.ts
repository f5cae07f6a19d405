/**
 * How the CLI reads its files, run as a process: lines broken as the editor
 * breaks them (`\n`, `\r\n`, a lone `\r`), so that FILE:LINE:COL names the
 * line an editor shows.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { test } from 'node:test';

const root = resolve(__dirname, '..', '..');

function cli(args: string[], input?: string | Uint8Array) {
  const result = spawnSync(process.execPath, [resolve(root, 'dist/cli.js'), ...args], { input, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('lines and columns are counted at \\n, \\r\\n and a lone \\r alike', () => {
  for (const eol of ['\n', '\r\n', '\r']) {
    const list = ['1.2.3.4', '', '  300.1.1.1', '1.2.3.4', '5.6.7.0/24'].join(eol);
    const merged = cli(['merge', '-'], list);
    assert.equal(merged.stdout, '1.2.3.4/32\n5.6.7.0/24\n', JSON.stringify(eol));
    assert.match(merged.stderr, /^-:3:3: error: Octet 300 is out of range/m, JSON.stringify(eol));
    const checked = cli(['check', '--fail-on', 'never', '-'], list);
    assert.match(checked.stdout, /^-:4:1: warning: .*\[duplicate\]$/m, JSON.stringify(eol));
  }
});
