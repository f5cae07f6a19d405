/**
 * The update path compiles the index the build does: from the shipped CSVs,
 * read as "Update Ownership Data" reads a download (the files with the
 * addresses as text, asn-ipv4.csv and asn-ipv6.csv), the bytes are
 * dist/asn.bin's, byte for byte.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { compileAsnIndex } from '../../server/src/core/ownership/asnCompile';
import { ASN_DATASETS } from '../../server/src/core/ownership/asnDatasets';
import { shippedDataAbout, shippedDataFolder } from '../../server/src/node/shippedAsnData';

const root = resolve(__dirname, '..', '..', '..');

test('the index compiled by the update path from the shipped CSV is byte-identical to the one the build makes', () => {
  const csv = ASN_DATASETS.csv;
  const read = (file: string, version: 4 | 6) => csv.read(readFileSync(join(shippedDataFolder(), file), 'utf8'), version, file);
  const compiled = compileAsnIndex(shippedDataAbout(), { ipv4: read(csv.files.ipv4, 4), ipv6: read(csv.files.ipv6, 6) });
  const built = readFileSync(join(root, 'dist', 'asn.bin'));
  assert.equal(compiled.bytes.length, built.length);
  assert.ok(Buffer.from(compiled.bytes).equals(built), 'the bytes differ');
  assert.deepEqual([compiled.ipv4Ranges, compiled.ipv6Ranges, compiled.holders], [411_961, 103_197, 91_065]);
});
