// Writes dist/asn.bin, the index of the ASN data shipped with the extension
// (the npm package @ip-location-db/asn). The compiler is the server's own
// TypeScript (server/src/node/shippedAsnData.ts, on
// server/src/core/ownership/asnCompile.ts), which "Update Ownership Data"
// uses too: bundled here with esbuild and run. Called by scripts/build.mjs.
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const target = 'dist/asn.bin';
const compiler = resolve('out/build/shippedAsnData.cjs');

/** Writes dist/asn.bin unless it is newer than the data package, the compiler's sources and this script. */
export async function buildAsnIndex() {
  const { metafile } = await esbuild.build({
    entryPoints: ['server/src/node/shippedAsnData.ts'],
    outfile: compiler,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    metafile: true,
    logLevel: 'warning',
  });
  const require = createRequire(import.meta.url);
  const { compileShippedIndex, shippedDataFolder } = require(compiler);
  const sources = [...Object.keys(metafile.inputs), join(shippedDataFolder(), 'package.json'), new URL(import.meta.url).pathname];
  const newest = Math.max(...sources.map((file) => statSync(file).mtimeMs));
  if (existsSync(target) && statSync(target).mtimeMs > newest) return;

  const index = compileShippedIndex();
  for (const [family, overlaps] of Object.entries(index.overlaps)) {
    if (overlaps > 0) console.log(`${family === 'ipv4' ? 'IPv4' : 'IPv6'}: ${overlaps} overlapping ranges resolved (the narrower range wins)`);
  }
  mkdirSync('dist', { recursive: true });
  writeFileSync(target, index.bytes);
  console.log(`${target}: ${index.ipv4Ranges} IPv4 and ${index.ipv6Ranges} IPv6 ranges, ${index.holders} holders, ${(index.bytes.length / 1e6).toFixed(1)} MB`);
}
