import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { AsnIndex } from '../../server/src/core/ownership/asnIndex';
import { NodeOwnershipStore } from '../../server/src/node/ownershipStore';

const root = resolve(__dirname, '..', '..', '..');
const corpus = process.env.BLOCKLIST_CORPUS ?? resolve(root, '..', 'shared', 'corpus');

interface NeovimResult {
  diagnostics: { lnum: number; col: number; end_col: number; severity: number; code: string; message: string }[];
  hover: string | null;
  /** The names of the workspace symbols of `symbolQuery`. */
  symbols: string[];
}

/**
 * Opens `file` in headless Neovim with our server attached, its root folder the current one (`cwd`), and returns what
 * Neovim received.
 */
function runNeovim(file: string, hoverLine: number, hoverColumn: number, options: { cwd?: string; symbolQuery?: string; cacheHome?: string } = {}): NeovimResult {
  const home = mkdtempSync(join(tmpdir(), 'blocklist-nvim-'));
  try {
    const resultFile = join(home, 'result.json');
    const run = spawnSync('nvim', ['--headless', '--clean', '-n', '-u', resolve(root, 'test/protocol/fixtures/nvim-check.lua'), file], {
      cwd: options.cwd,
      env: {
        ...process.env,
        XDG_CONFIG_HOME: join(home, 'config'),
        XDG_DATA_HOME: join(home, 'data'),
        XDG_STATE_HOME: join(home, 'state'),
        XDG_CACHE_HOME: options.cacheHome ?? join(home, 'cache'),
        SERVER: resolve(root, 'dist/server.js'),
        RESULT_FILE: resultFile,
        HOVER_LINE: String(hoverLine),
        HOVER_COL: String(hoverColumn),
        ...(options.symbolQuery ? { SYMBOL_QUERY: options.symbolQuery } : {}),
      },
      timeout: 60_000,
      encoding: 'utf8',
    });
    if (run.error) throw new Error(`Could not run Neovim (install it: apt-get install -y neovim): ${run.error.message}`);
    assert.equal(run.status, 0, `Neovim failed: ${readResult(resultFile)}${run.stderr}`);
    return JSON.parse(readFileSync(resultFile, 'utf8')) as NeovimResult;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

function readResult(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

test('Neovim shows positioned diagnostics and hovers on a real FireHOL list', () => {
  const file = join(corpus, 'firehol/firehol_level1.netset');
  // Line 47 is 10.0.0.0/8.
  const result = runNeovim(file, 47, 3);
  const private10 = result.diagnostics.filter((d) => d.lnum === 46);
  assert.deepEqual(private10.map((d) => `${d.col}-${d.end_col} ${d.code}`).sort(), ['0-10 overbroad', '0-10 special-purpose']);
  assert.match(private10.find((d) => d.code === 'special-purpose')!.message, /10\.0\.0\.0\/8 Private-Use \(RFC 1918\)/);
  assert.match(result.hover ?? '', /\*\*10\.0\.0\.0\/8\*\* blocks \*\*16,777,216 addresses\*\*/);
  assert.match(result.hover ?? '', /netmask `255\.0\.0\.0`/);
});

test('Neovim finds which entries of the workspace decide an address through workspace symbols', () => {
  const folder = mkdtempSync(join(tmpdir(), 'blocklist-nvim-workspace-'));
  try {
    writeFileSync(join(folder, 'feed.netset'), '10.0.0.0/8\n192.0.2.0/24\n');
    writeFileSync(join(folder, 'local.netset'), '10.0.0.5\n');
    const result = runNeovim(join(folder, 'feed.netset'), 1, 2, { cwd: folder, symbolQuery: '10.0.0.5' });
    assert.deepEqual(result.symbols.sort(), ['10.0.0.5 ∈ 10.0.0.0/8', '10.0.0.5 ∈ 10.0.0.5']);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test("Neovim reads a list with the ownership snapshot its head names: 2018's owners, and the snapshot in the hover's footer", async () => {
  const cache = mkdtempSync(join(tmpdir(), 'blocklist-nvim-cache-'));
  try {
    const snapshots = join(root, 'test/fixtures/ownership/snapshots');
    const today = AsnIndex.fromBytes(readFileSync(join(root, 'dist/asn.bin')));
    await new NodeOwnershipStore(join(cache, 'blocklist-auditor', 'feeds')).importSnapshot(
      { name: '2018-04-15', format: 'pfx2as', date: '2018-04-15', files: [join(snapshots, 'routeviews-rv2-20180415-1200.pfx2as')] },
      today,
    );
    const file = join(cache, 'old.txt');
    writeFileSync(file, '# ownership-data: 2018-04-15\n35.192.0.0/12\n');
    const result = runNeovim(file, 2, 3, { cacheHome: cache });
    assert.match(result.hover ?? '', /\*\*35\.192\.0\.0\/12\*\* blocks \*\*1,048,576 addresses\*\* · Google 1,048,576 \(100 %\)/);
    assert.match(result.hover ?? '', /_Ownership snapshot "2018-04-15": RouteViews prefix-to-AS \(pfx2as\) of 2018-04-15/);
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});
