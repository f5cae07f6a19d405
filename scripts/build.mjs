// Bundles the extension client, the language server and the CLI with esbuild,
// for Node and for VS Code for the Web (dist/web: the client for the web worker
// extension host and the server's own worker, with no Node module allowed),
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

// The web worker extension host loads the client as CommonJS; the server's worker runs a plain script.
const webEntries = [
  { in: 'client/src/web/extension.ts', out: 'web/client', format: 'cjs' },
  { in: 'server/src/web/server.ts', out: 'web/server', format: 'iife' },
];

const production = process.argv.includes('--production');
const common = { bundle: true, external: ['vscode'], sourcemap: !production, minify: production, logLevel: 'warning' };
await Promise.all([
  ...entries.map((entry) => esbuild.build({ ...common, entryPoints: [entry.in], outfile: `dist/${entry.out}.js`, format: 'cjs', platform: 'node', target: 'node20' })),
  ...webEntries.map((entry) => esbuild.build({ ...common, entryPoints: [entry.in], outfile: `dist/${entry.out}.js`, format: entry.format, platform: 'browser', target: 'es2022' })),
]);

await buildAsnIndex();
