/**
 * The ready-made CI of the README: examples/github-workflow.yml cannot run
 * on GitHub from here, so its shell steps run here, as a runner would run
 * them (bash -e), in a repository whose pull request adds the 2018 cloud
 * subnets, against this build of the CLI; every option they pass must be
 * one the CLI's help lists.
 */
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';

const root = resolve(__dirname, '..', '..');
const cliPath = join(root, 'dist/cli.js');
const example = readFileSync(join(root, 'examples/telegram-2018.txt'), 'utf8');

interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, string>;
}

interface Workflow {
  readonly env: Record<string, string>;
  readonly jobs: Record<string, { readonly steps: readonly Step[] }>;
}

/** The workflow as GitHub reads it: YAML, parsed by PyYAML (Debian's python3-yaml, which pre-commit needs too). */
function readWorkflow(): Workflow {
  const json = execFileSync(
    '/usr/bin/python3',
    ['-c', 'import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))', join(root, 'examples/github-workflow.yml')],
    {
      encoding: 'utf8',
    },
  );
  return JSON.parse(json) as Workflow;
}

let work = '';
let repo = '';
let shims = '';

function git(...args: string[]): void {
  execFileSync('git', args, { cwd: repo, stdio: 'ignore' });
}

before(() => {
  work = mkdtempSync(join(tmpdir(), 'blocklist-ci-'));
  repo = join(work, 'repo');
  shims = join(work, 'bin');
  mkdirSync(join(repo, 'lists'), { recursive: true });
  mkdirSync(shims);
  // blocklist-audit on the PATH, as `npm install --global` puts it there.
  writeFileSync(join(shims, 'blocklist-audit'), `#!/bin/sh\nexec "${process.execPath}" "${cliPath}" "$@"\n`);
  chmodSync(join(shims, 'blocklist-audit'), 0o755);
  git('init', '-q', '-b', 'main');
  git('config', 'user.name', 'Blocklist Test');
  git('config', 'user.email', 'test@blocklist.invalid');
  writeFileSync(join(repo, 'lists/telegram.txt'), example.slice(0, example.indexOf('#\n# Cloud subnets')));
  git('add', '.');
  git('commit', '-q', '-m', "Telegram's networks");
  git('update-ref', 'refs/remotes/origin/main', 'main');
  git('checkout', '-q', '-b', 'block-cloud');
  writeFileSync(join(repo, 'lists/telegram.txt'), example);
  git('commit', '-q', '-am', 'Block the cloud subnets');
});

after(() => rmSync(work, { recursive: true, force: true }));

/** Runs a step's script as a GitHub runner does (`bash -e {0}`), with the workflow's env and a pull request's variables. */
function runStep(workflow: Workflow, script: string, summary: string) {
  const env = { ...process.env, ...workflow.env, GITHUB_BASE_REF: 'main', GITHUB_STEP_SUMMARY: summary, PATH: `${shims}:${process.env.PATH}`, NO_COLOR: '1' };
  return spawnSync('bash', ['-e', '-c', script], { cwd: repo, env, encoding: 'utf8' });
}

test('the workflow: SARIF of the six new lines for code scanning, the change as the job summary, and the cloud gate fails the job', () => {
  const workflow = readWorkflow();
  const steps = Object.values(workflow.jobs)[0].steps;
  const install = steps.find((step) => step.run?.startsWith('npm install --global'));
  assert.ok(install, 'a step installs the tool');
  // The install builds the package: npm runs `prepare` when it installs from git or packs it.
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  assert.match(manifest.scripts.prepare, /scripts\/build\.mjs/);
  assert.equal(manifest.bin['blocklist-audit'], './dist/cli.js');

  const summary = join(work, 'summary.md');
  const results = steps.filter((step) => step.run && step !== install).map((step) => ({ step, result: runStep(workflow, step.run!, summary) }));
  const [check, diff] = results;
  assert.equal(check.result.status, 0, check.result.stderr);
  const upload = steps.find((step) => step.uses?.startsWith('github/codeql-action/upload-sarif'));
  const sarif = JSON.parse(readFileSync(join(repo, upload!.with!.sarif_file), 'utf8'));
  const fresh = sarif.runs[0].results.filter((r: { baselineState: string }) => r.baselineState === 'new');
  assert.deepEqual(
    fresh.map((r: { locations: { physicalLocation: { region: { startLine: number } } }[] }) => r.locations[0].physicalLocation.region.startLine),
    [20, 21, 22, 23, 24, 25],
  );
  assert.equal(diff.result.status, 1, 'the change blocks 1,687,552 addresses of cloud providers');
  const written = readFileSync(summary, 'utf8');
  assert.match(written, /^### Blocklist change: `origin\/main:lists\/telegram\.txt` → `lists\/telegram\.txt`$/m);
  assert.match(written, /✖ The change blocks 1,687,552 more IPv4 addresses of cloud providers/);
});

test("every blocklist-audit command and option the workflow runs is in the CLI's help", () => {
  const help = execFileSync(process.execPath, [cliPath, '--help'], { encoding: 'utf8' });
  const scripts = Object.values(readWorkflow().jobs)[0]
    .steps.map((step) => step.run ?? '')
    .join('\n')
    .replace(/\\\n/g, ' ');
  const calls = [...scripts.matchAll(/blocklist-audit (\w+)([^\n|>]*)/g)];
  assert.deepEqual(calls.map(([, command]) => command).sort(), ['check', 'diff']);
  for (const [, command, rest] of calls) {
    assert.match(help, new RegExp(`^  ${command} `, 'm'));
    for (const [option] of rest.matchAll(/--[a-z-]+/g)) assert.ok(help.includes(option), `${option} of ${command} is not in --help`);
  }
});

test('the pre-commit hook: pre-commit installs the package, which builds itself, and fails a commit of a list with an error', { timeout: 15 * 60_000 }, () => {
  const project = join(work, 'hooked');
  mkdirSync(project);
  const run = (command: string, args: string[]) =>
    spawnSync(command, args, {
      cwd: project,
      encoding: 'utf8',
      // pre-commit's own cache in the test's folder; npm takes what its cache already holds.
      env: {
        ...process.env,
        PRE_COMMIT_HOME: join(work, 'pre-commit-cache'),
        npm_config_prefer_offline: 'true',
        npm_config_audit: 'false',
        npm_config_fund: 'false',
        NO_COLOR: '1',
      },
    });
  run('git', ['init', '-q']);
  // The hook as committed here: pre-commit clones the repository at a revision.
  const rev = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  writeFileSync(join(project, '.pre-commit-config.yaml'), `repos:\n  - repo: ${root}\n    rev: ${rev}\n    hooks:\n      - id: blocklist-audit\n        files: \\.txt$\n`);
  writeFileSync(join(project, 'broad.txt'), '203.0.113.7\n0.0.0.0/1\n');
  writeFileSync(join(project, 'fine.txt'), '203.0.113.7\n');
  run('git', ['add', '.']);
  const failed = run('pre-commit', ['run', '--files', 'broad.txt']);
  assert.equal(failed.status, 1, failed.stdout + failed.stderr);
  assert.match(failed.stdout, /2:1\s+error\s+0\.0\.0\.0\/1 blocks 2,147,483,648 addresses/);
  const passed = run('pre-commit', ['run', '--files', 'fine.txt']);
  assert.equal(passed.status, 0, passed.stdout + passed.stderr);
});
