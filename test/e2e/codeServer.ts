/**
 * Runs code-server — the real VS Code workbench, with a real Node extension
 * host — isolated in a fresh directory: its own user data, extensions,
 * config and XDG folders, bound to 127.0.0.1. Installed by
 * scripts/e2e/install-code-server.sh.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

const CACHE = process.env.BLOCKLIST_E2E_CACHE ?? join(homedir(), '.cache', 'blocklist-e2e');
const NODE = join(CACHE, 'node24', 'bin', 'node');
const ENTRY = join(CACHE, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');

const SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
  'chat.disableAIFeatures': true,
  'files.hotExit': 'off',
  'git.enabled': false,
  'editor.hover.delay': 100,
};

export interface RunningCodeServer {
  readonly base: string;
  readonly port: number;
  readonly directory: string;
  stop(): Promise<void>;
}

export function codeServerInstalled(): boolean {
  return existsSync(NODE) && existsSync(ENTRY);
}

/**
 * Starts code-server on a free port; `vsix` is installed first; `smokeDriver` lets a URL payload run an extension test
 * suite; `settings` go over the user settings above (`git.enabled` for the tests of the change features).
 */
export async function startCodeServer(options: { vsix?: string; smokeDriver?: boolean; settings?: Record<string, unknown> } = {}): Promise<RunningCodeServer> {
  if (!codeServerInstalled()) throw new Error(`code-server is not installed in ${CACHE}: run scripts/e2e/install-code-server.sh (scripts/setup.sh does).`);
  const directory = mkdtempSync(join(tmpdir(), 'blocklist-code-server-'));
  const port = await freePort();
  for (const sub of ['data/User', 'extensions', 'xdg']) mkdirSync(join(directory, sub), { recursive: true });
  writeFileSync(join(directory, 'data/User/settings.json'), JSON.stringify({ ...SETTINGS, ...options.settings }));
  writeFileSync(join(directory, 'config.yaml'), `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const env = {
    ...process.env,
    XDG_CONFIG_HOME: join(directory, 'xdg'),
    XDG_DATA_HOME: join(directory, 'xdg'),
    XDG_CACHE_HOME: join(directory, 'xdg'),
    PATH: `${join(CACHE, 'node24', 'bin')}:${process.env.PATH}`,
  };
  const common = ['--config', join(directory, 'config.yaml'), '--user-data-dir', join(directory, 'data'), '--extensions-dir', join(directory, 'extensions')];
  if (options.vsix) {
    const install = spawnSync(NODE, [ENTRY, ...common, '--install-extension', options.vsix], { env, encoding: 'utf8' });
    if (install.status !== 0) throw new Error(`Installing ${options.vsix} failed: ${install.stderr}${install.stdout}`);
  }
  const args = [
    ENTRY,
    ...common,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--disable-proxy',
    '--ignore-last-opened',
  ];
  if (options.smokeDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  const child: ChildProcess = spawn(NODE, args, { env, stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}`;
  await waitFor(
    async () =>
      await fetch(`${base}/healthz`)
        .then((r) => r.ok)
        .catch(() => false),
    30_000,
    'code-server to answer',
  );
  return {
    base,
    port,
    directory,
    stop: async () => {
      child.kill();
      await new Promise((done) => (child.exitCode !== null ? done(null) : child.once('exit', done)));
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** Polls `ready` until it is true or `timeoutMs` passes. */
export async function waitFor(ready: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${what}.`);
    await new Promise((wake) => setTimeout(wake, 100));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}
