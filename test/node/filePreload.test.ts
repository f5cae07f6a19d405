/** A file read in a worker thread gives its bytes, or the error a read gives, and never waits on a worker that failed. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { AsnIndex } from '../../server/src/core/ownership/asnIndex';
import { preloadFile } from '../../server/src/node/filePreload';

const root = resolve(__dirname, '..', '..', '..');

test('the ASN index read in a worker thread is the file, byte for byte, in shared memory, and reads as an index', () => {
  const file = join(root, 'dist/asn.bin');
  const bytes = preloadFile(file)();
  assert.ok(bytes.buffer instanceof SharedArrayBuffer, 'read by the worker, not again by the main thread');
  assert.ok(Buffer.from(bytes).equals(readFileSync(file)));
  // And the index reads from shared memory as from its own: views over it, names decoded from it.
  assert.equal(AsnIndex.fromBytes(bytes).holders(4, 0x08080800n, 0x080808ffn, 1).largest[0].name, 'Google');
});

test('a file missing, or shorter than it was when the read began, is read by the main thread: its error, or its bytes now', (t) => {
  const folder = mkdtempSync(join(tmpdir(), 'preload-'));
  t.after(() => rmSync(folder, { recursive: true, force: true }));
  assert.throws(preloadFile(join(folder, 'missing.bin')), { code: 'ENOENT' });
  const file = join(folder, 'list.bin');
  writeFileSync(file, Buffer.alloc(1 << 20, 7));
  const read = preloadFile(file);
  truncateSync(file, 100);
  const started = Date.now();
  const bytes = read();
  // The worker either read the whole megabyte before the cut or found it short; either way the answer is a file's bytes, at once.
  assert.ok(bytes.length === 1 << 20 || (bytes.length === 100 && !(bytes.buffer instanceof SharedArrayBuffer)), `${bytes.length} bytes`);
  assert.ok(Date.now() - started < 1000, 'no wait for a worker that gave up');
});

test('the extension package ships the worker threads the server starts', () => {
  const shipped = readFileSync(join(root, '.vscodeignore'), 'utf8').split('\n');
  for (const worker of ['dist/ownershipWorker.js', 'dist/preloadWorker.js']) assert.ok(shipped.includes(`!${worker}`), `${worker} is left out of the .vsix`);
});
