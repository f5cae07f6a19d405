/**
 * `diff`, `check --since` and `history` on the 2018 story as a git
 * repository: the first commit holds Telegram's networks, the second adds
 * the six cloud subnets of examples/telegram-2018.txt.
 */
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';

const root = resolve(__dirname, '..', '..');
const example = readFileSync(join(root, 'examples/telegram-2018.txt'), 'utf8');
/** The example up to its cloud subnets: the header and Telegram's own networks. */
const telegramOnly = example.slice(0, example.indexOf('#\n# Cloud subnets'));
const CLOUD_LINES = [20, 21, 22, 23, 24, 25];

let repo = '';

function git(...args: string[]): void {
  execFileSync('git', args, { cwd: repo, stdio: 'ignore' });
}

function commit(text: string, message: string, date: string): void {
  writeFileSync(join(repo, 'list'), text);
  git('add', 'list');
  execFileSync('git', ['commit', '-q', '-m', message], { cwd: repo, env: { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } });
}

function cli(args: string[], input?: string) {
  const env = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined };
  const result = spawnSync(process.execPath, [join(root, 'dist/cli.js'), ...args], { cwd: repo, input, encoding: 'utf8', env });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

before(() => {
  repo = mkdtempSync(join(tmpdir(), 'blocklist-story-'));
  git('init', '-q');
  git('config', 'user.name', 'Blocklist Test');
  git('config', 'user.email', 'test@blocklist.invalid');
  commit(telegramOnly, "Telegram's networks", '2018-04-15T10:00:00Z');
  commit(example, 'Block the cloud subnets', '2018-04-16T10:00:00Z');
});

after(() => rmSync(repo, { recursive: true, force: true }));

test('diff HEAD~1:list HEAD:list: +1,835,008 IPv4 addresses, split by provider as the ASN data gives', () => {
  const { status, stdout, stderr } = cli(['diff', 'HEAD~1:list', 'HEAD:list', '--format', 'json']);
  assert.equal(status, 0, stderr);
  const report = JSON.parse(stdout);
  assert.deepEqual(
    [report.ipv4, report.ipv6],
    [
      { added: '1835008', removed: '0' },
      { added: '0', removed: '0' },
    ],
  );
  const added = report.owners.added.ipv4;
  assert.deepEqual(
    added.providers.map((p: { name: string; addresses: string }) => [p.name, p.addresses]),
    [
      ['Google Cloud', '901120'],
      ['Amazon Web Services', '786432'],
      ['Google', '131072'],
    ],
  );
  assert.equal(added.unannounced, '16384');
  assert.equal(added.asns[0].asn, 396982);
  const [file] = report.scopes;
  assert.deepEqual(
    file.entries.added.map((e: { line: number; text: string }) => [e.line, e.text]),
    CLOUD_LINES.map((line) => [line, example.split('\n')[line - 1]]),
  );
  assert.deepEqual(
    report.findings.introduced.map((f: { line: number }) => f.line),
    CLOUD_LINES,
  );
  assert.deepEqual(report.findings.resolved, []);
});

test('diff gates: --fail-on-provider cloud fails the change, a threshold above it passes, --fail-on-added counts per family', () => {
  const failed = cli(['diff', 'HEAD~1:list', 'HEAD:list', '--fail-on-provider', 'cloud']);
  assert.equal(failed.status, 1);
  assert.match(failed.stdout, /✖ The change blocks 1,687,552 more IPv4 addresses of cloud providers \(Google Cloud 901,120, Amazon Web Services 786,432\)/);
  assert.equal(cli(['diff', 'HEAD~1:list', 'HEAD:list', '--fail-on-provider', 'cloud', '--provider-threshold', '1687553']).status, 0);
  assert.equal(cli(['diff', 'HEAD~1:list', 'HEAD:list', '--fail-on-provider', 'aws']).status, 1);
  assert.equal(cli(['diff', 'HEAD~1:list', 'HEAD:list', '--fail-on-provider', 'cloudflare']).status, 0);
  assert.equal(cli(['diff', 'HEAD~1:list', 'HEAD:list', '--fail-on-added', '1835008']).status, 0);
  assert.equal(cli(['diff', 'HEAD~1:list', 'HEAD:list', '--fail-on-added', '1835007']).status, 1);
  assert.equal(cli(['diff', 'HEAD~1:list', 'HEAD:list', '--fail-on', 'new-errors,protected']).status, 0, 'the cloud lines are warnings, and nothing is protected');
});

test('diff --fail-on protected: a change that blocks a protected network (a public resolver, protected by default) fails', () => {
  const old = join(repo, 'old.txt');
  const now = join(repo, 'new.txt');
  writeFileSync(old, '203.0.113.0/24\n');
  writeFileSync(now, '203.0.113.0/24\n8.8.8.0/24\n');
  const result = cli(['diff', old, now, '--fail-on', 'protected']);
  assert.equal(result.status, 1, result.stdout + result.stderr);
  assert.match(result.stdout, /✖ The change blocks protected networks: 1 new protected finding\./);
});

test('diff --format markdown is a review comment: a table per scope, the added lines, the introduced findings', () => {
  const { status, stdout } = cli(['diff', 'HEAD~1:list', 'HEAD:list', '--format', 'markdown']);
  assert.equal(status, 0);
  assert.match(stdout, /^### Blocklist change: `HEAD~1:list` → `HEAD:list`$/m);
  assert.match(stdout, /^\| the file \| changed \| 1,835,008 \| 0 \| 0 \| 0 \| 6 \/ 0 \/ 0 \|$/m);
  assert.match(stdout, /^- \+ line 20: `35\.192\.0\.0\/12` \(1,048,576\)$/m);
  assert.match(stdout, /^#### Findings: 6 introduced, 0 resolved$/m);
});

test('check --since HEAD~1: text names only the six added lines; SARIF marks them new and the others unchanged', () => {
  const text = cli(['check', '--since', 'HEAD~1', 'list', '--fail-on', 'warning']);
  assert.equal(text.status, 1, 'the new lines are warnings');
  const rows = text.stdout.split('\n').filter((line) => /^\s+\d+:\d+\s/.test(line));
  assert.deepEqual(
    rows.map((row) => Number(row.trim().split(':')[0])),
    CLOUD_LINES,
  );
  const sarif = JSON.parse(cli(['check', '--since', 'HEAD~1', 'list', '--format', 'sarif']).stdout);
  const results = sarif.runs[0].results as { baselineState: string; locations: { physicalLocation: { region: { startLine: number } } }[] }[];
  const lines = (state: string) => results.filter((r) => r.baselineState === state).map((r) => r.locations[0].physicalLocation.region.startLine);
  assert.deepEqual(lines('new'), CLOUD_LINES);
  assert.deepEqual(lines('unchanged'), [11, 15]);
  // Against itself nothing is new, and --fail-on counts only what the change introduced.
  assert.equal(cli(['check', '--since', 'HEAD', 'list', '--fail-on', 'warning']).status, 0);
});

test('check --since: a finding the change resolves is an absent result; a file the revision lacks is all new', () => {
  writeFileSync(join(repo, 'list'), example.replace('35.192.0.0/12\n', ''));
  try {
    const sarif = JSON.parse(cli(['check', '--since', 'HEAD', 'list', '--format', 'sarif']).stdout);
    const absent = sarif.runs[0].results.filter((r: { baselineState: string }) => r.baselineState === 'absent');
    assert.equal(absent.length, 1);
    assert.match(absent[0].message.text, /^Resolved by the change \(was line 20\): 35\.192\.0\.0\/12 blocks/);
  } finally {
    git('checkout', '--', 'list');
  }
  const fresh = join(repo, 'fresh.txt');
  writeFileSync(fresh, '5.5.5.5\n5.5.5.5\n');
  assert.match(cli(['check', '--since', 'HEAD', 'fresh.txt']).stdout, /2:1\s+warning\s+Duplicate of line 1/);
});

test('history: each commit with its date, entries and addresses added, and the providers it added', () => {
  const { status, stdout } = cli(['history', 'list', '--format', 'json']);
  assert.equal(status, 0);
  const steps = JSON.parse(stdout);
  assert.deepEqual(
    steps.map((s: { subject: string; date: string; entries: object; ipv4: { added: string; blocked: string } }) => [
      s.subject,
      s.date.slice(0, 10),
      s.entries,
      s.ipv4.added,
      s.ipv4.blocked,
    ]),
    [
      ['Block the cloud subnets', '2018-04-16', { added: 6, removed: 0 }, '1835008', '1844224'],
      ["Telegram's networks", '2018-04-15', { added: 9, removed: 0 }, '9216', '9216'],
    ],
  );
  assert.equal(steps[0].ipv4.providersAdded[0].name, 'Google Cloud');
  const csv = cli(['history', 'list', '--format', 'csv', '--max-count', '1']).stdout.trim().split('\n');
  assert.equal(csv.length, 2);
  assert.match(csv[1], /,Block the cloud subnets,6,0,1835008,0,1844224,0,0,/);
});

// oxfmt-ignore
const MISTAKES: readonly [args: string[], stderr: RegExp][] = [
  [['diff', 'list'], /"diff" compares two versions, OLD and NEW .* not 1\./],
  [['diff', 'HEAD~9:list', 'list'], /Cannot read "HEAD~9:list" through git: /],
  [['diff', 'list', 'list', '--fail-on', 'warnings'], /--fail-on of "diff" takes protected, new-errors \(several with commas\), not "warnings"\./],
  [['diff', 'list', 'list', '--fail-on-provider', 'clouds'], /--fail-on-provider takes a category \(cloud, .*\) or a provider \(aws, .*\), not "clouds"\./],
  [['diff', 'list', 'list', '--format', 'csv'], /--format of "diff" takes text, json, markdown, sarif, not "csv"\./],
  [['check', '--since', 'nosuchrev', 'list'], /--since nosuchrev: "nosuchrev" names no commit here\./],
  [['check', '--since', 'HEAD', '-'], /--since reads the file at a revision through git: name the file, not standard input\./],
  [['history', 'untracked.txt'], /git has no commit of "untracked.txt"/],
  [['count', '--since', 'HEAD', 'list'], /--since is for "check" and "history"/],
];

for (const [args, stderr] of MISTAKES) {
  test(`${args.join(' ')}: a usage error`, () => {
    const result = cli(args, '1.2.3.4\n');
    assert.equal(result.status, 2, result.stdout);
    assert.match(result.stderr, stderr);
  });
}

test('--old and --new read files whose names hold a colon, as files', () => {
  writeFileSync(join(repo, 'a:b'), '1.2.3.4\n');
  const result = cli(['diff', '--old', 'a:b', 'list', '--format', 'json']);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(JSON.parse(result.stdout).ipv4.removed, '1');
});
