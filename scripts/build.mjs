// Bundles the extension client, the language server and the CLI with esbuild,
// and compiles the ASN data into dist/asn.bin.
// Type checking is separate (`npm run typecheck`), as in the lsp-sample.
import * as esbuild from 'esbuild';
import { buildAsnIndex } from './build-asn-index.mjs';

const entries = [
  { in: 'client/src/extension.ts', out: 'client' },
  { in: 'server/src/server.ts', out: 'server' },
  { in: 'server/src/cli/main.ts', out: 'cli' },
  // The worker thread that compiles updated ownership data, beside the server and the CLI that start it.
  { in: 'server/src/node/ownershipWorker.ts', out: 'ownershipWorker' },
];

const production = process.argv.includes('--production');
await Promise.all(
  entries.map(async (entry) => {
    await esbuild.build({
      entryPoints: [entry.in],
      outfile: `dist/${entry.out}.js`,
      bundle: true,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      external: ['vscode'],
      sourcemap: !production,
      minify: production,
      logLevel: 'warning',
    });
  }),
);

await buildAsnIndex();
