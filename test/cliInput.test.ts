/**
 * How the CLI reads its files, run as a process: lines broken as the editor
 * breaks them (`\n`, `\r\n`, a lone `\r`), so that FILE:LINE:COL names the
 * line an editor shows; UTF-8 with or without a byte-order mark, UTF-16
 * after one, the Windows-1251 registry dumps as before; a file that is not
 * text is one message and exit status 2, apart from findings (1).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';

const root = resolve(__dirname, '..', '..');
const corpus = process.env.BLOCKLIST_CORPUS ?? resolve(root, '..', 'shared', 'corpus');

function cli(args: string[], input?: string | Uint8Array) {
  const env = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined }; // text output plain, whatever the test's environment
  const result = spawnSync(process.execPath, [resolve(root, 'dist/cli.js'), ...args], { input, encoding: 'utf8', env });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('lines and columns are counted at \\n, \\r\\n and a lone \\r alike', () => {
  for (const eol of ['\n', '\r\n', '\r']) {
    const list = ['1.2.3.4', '', '  300.1.1.1', '1.2.3.4', '5.6.7.0/24'].join(eol);
    const merged = cli(['merge', '-'], list);
    assert.equal(merged.stdout, '1.2.3.4/32\n5.6.7.0/24\n', JSON.stringify(eol));
    assert.match(merged.stderr, /^-:3:3: error: Octet 300 is out of range/m, JSON.stringify(eol));
    const checked = cli(['check', '--fail-on', 'never', '-'], list);
    assert.match(checked.stdout, /^ {2}4:1 {2}warning {2}.* {2}duplicate$/m, JSON.stringify(eol));
  }
});

/** A file holding `bytes`, removed after `use`. */
function withFile(name: string, bytes: Uint8Array, use: (file: string) => void): void {
  const folder = mkdtempSync(join(tmpdir(), 'blocklist-input-'));
  try {
    writeFileSync(join(folder, name), bytes);
    use(join(folder, name));
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

const LIST = '1.2.3.4\r\n10.0.0.0/8\r\n  300.1.1.1\r\n::1\r\n';
const encodings: [name: string, bytes: Buffer][] = [
  ['UTF-8 with a byte-order mark', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(LIST)])],
  ['UTF-16 LE with a byte-order mark', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(LIST, 'utf16le')])],
  ['UTF-16 BE with a byte-order mark', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(LIST, 'utf16le').swap16()])],
];

for (const [name, bytes] of encodings) {
  test(`a file in ${name} reads as in UTF-8, its problems on the same lines and columns`, () => {
    withFile('list.txt', bytes, (file) => {
      const { status, stdout, stderr } = cli(['count', '--json', file]);
      assert.equal(status, 0);
      assert.deepEqual(JSON.parse(stdout), { ipv4: { entries: 2, addresses: '16777217' }, ipv6: { entries: 1, addresses: '1' } });
      assert.ok(stderr.startsWith(`${file}:3:3: error: Octet 300 is out of range`), stderr);
      assert.match(stderr, /^[^\n]*\[invalid-entry\]\n$/);
    });
  });
}

test('a file that is not text is one message and exit status 2, whatever the command', () => {
  const noise = Buffer.concat([Buffer.from('1.2.3.4\nPK'), Buffer.from([3, 4, 0, 0]), Buffer.from('1.2.3.4 \u0001\n'.repeat(5_000))]);
  withFile('archive.zip', noise, (file) => {
    for (const args of [['check'], ['count'], ['merge']]) {
      const result = cli([...args, file]);
      assert.equal(result.status, 2, args[0]);
      assert.equal(result.stdout, '', args[0]);
      assert.equal(
        result.stderr,
        `blocklist-audit: Cannot read "${file}": it is not text (a NUL character at line 2, column 5). Pass a blocklist saved as UTF-8, or as UTF-16 with a byte-order mark.\n` +
          'Run "blocklist-audit --help" for usage.\n',
        args[0],
      );
    }
  });
});

test('the Windows-1251 registry dumps still read in full, without a problem', () => {
  for (const [file, counts] of [
    ['rkn/zi_dump_2014-04-22.csv', { ipv4: { entries: 3616, addresses: '1483' }, ipv6: { entries: 0, addresses: '0' } }],
    ['rkn/zi_dump-08_2020-01-30.csv', { ipv4: { entries: 34866, addresses: '9109' }, ipv6: { entries: 19568, addresses: '3107' } }],
  ] as const) {
    const result = cli(['count', '--json', '--strict', join(corpus, file)]);
    assert.deepEqual([result.status, result.stderr, JSON.parse(result.stdout)], [0, '', counts], file);
  }
});
