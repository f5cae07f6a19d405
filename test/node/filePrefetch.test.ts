/** A file read ahead gives its bytes without reading them again, or the error a read gives. */
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { AsnIndex } from '../../server/src/core/ownership/asnIndex';
import { FilePrefetch } from '../../server/src/node/filePrefetch';

const root = resolve(__dirname, '..', '..', '..');

function tempFolder(t: { after(fn: () => void): void }): string {
  const folder = mkdtempSync(join(tmpdir(), 'prefetch-'));
  t.after(() => rmSync(folder, { recursive: true, force: true }));
  return folder;
}

test('the ASN index read ahead is the file, byte for byte, read once, and reads as an index', async (t) => {
  const file = join(tempFolder(t), 'asn.bin');
  copyFileSync(join(root, 'dist/asn.bin'), file);
  const original = readFileSync(file);
  const prefetch = new FilePrefetch(file);
  await prefetch.done;
  // Gone from the disk, it is still there: the bytes are those read ahead, not read again.
  unlinkSync(file);
  const bytes = prefetch.read();
  assert.ok(Buffer.from(bytes).equals(original));
  assert.equal(AsnIndex.fromBytes(bytes).holders(4, 0x08080800n, 0x080808ffn, 1).largest[0].name, 'Google');
});

test('a file missing, or shorter than it was when the read began, is read at use: its error, or its bytes now', async (t) => {
  const folder = tempFolder(t);
  const missing = new FilePrefetch(join(folder, 'missing.bin'));
  await missing.done;
  assert.throws(() => missing.read(), { code: 'ENOENT' });
  const file = join(folder, 'list.bin');
  writeFileSync(file, Buffer.alloc(1 << 20, 7));
  const prefetch = new FilePrefetch(file);
  truncateSync(file, 100);
  await prefetch.done;
  // The read ahead either took the whole megabyte before the cut or found it short; either way the answer is a file's bytes.
  const bytes = prefetch.read();
  assert.ok(bytes.length === 1 << 20 || bytes.length === 100, `${bytes.length} bytes`);
  assert.ok(bytes.every((byte) => byte === 7));
});

test('the extension package ships the worker thread the server starts to compile ownership data', () => {
  const shipped = readFileSync(join(root, '.vscodeignore'), 'utf8').split('\n');
  assert.ok(shipped.includes('!dist/ownershipWorker.js'), 'dist/ownershipWorker.js is left out of the .vsix');
});
