/**
 * The real firewall tools as test oracles (ORACLES.md, "The real firewall
 * tools as oracles"): ipset, nftables, iptables, nginx, Apache and tcpd
 * decide addresses for a given file, so tests can hold the product's reading
 * of each format to what its firewall really does (issue 9).
 *
 * Each call is one run of `unshare --net --pid --fork --kill-child
 * --mount-proc bash SCRIPT` as root: a private network namespace holding only
 * `lo`, and a private PID namespace, so every process the run started dies
 * with it even when the run is killed on its timeout. The file is loaded once
 * (one daemon start per file) and all queries are asked in that run, so a
 * differential property test can send many addresses per start. Scripts are
 * fixed text; the caller's file and queries reach them only as files in a
 * fresh `mkdtemp` folder, removed afterwards.
 *
 * Every call has controls. A decision call takes them from the caller,
 * required by its type: a query that must come out true and one that must
 * come out false (a property test plants them in the files it makes, e.g.
 * `deny 192.0.2.1; allow 192.0.2.2;` first in an nginx list). A syntax check
 * brings its own: a file that must load and one that must not. They are
 * asked in the same run, and when one comes out wrong the call throws "the
 * oracle is broken: …" (a daemon answering 403 to everything, an unreadable
 * document root, a rule set that never loaded, a check that fails anything).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The oracles, by the tool that answers. */
export type Tool = 'ipset' | 'nft' | 'iptables' | 'nginx' | 'apache' | 'tcpd';

/** For set oracles: a query that must be a member and one that must not. */
export interface SetControls<Q> {
  member: Q;
  nonMember: Q;
}

/** For access oracles: a query that must come out blocked and one that must come out allowed. */
export interface AccessControls<Q> {
  blocked: Q;
  allowed: Q;
}

/** A syntax check's verdict and the tool's own message (empty when it said nothing). */
export interface CheckResult {
  ok: boolean;
  message: string;
}

/** A loader's verdict on a file, its message on one line, and the line of the file it names (1-based), when it names one. */
export interface LoaderCheck extends CheckResult {
  line?: number;
}

export interface IpsetQuery {
  set: string;
  address: string;
}

export interface NftQuery {
  family: string;
  table: string;
  set: string;
  address: string;
}

export interface TcpdQuery {
  daemon: string;
  address: string;
}

/** How long one run may take before it is killed (the whole namespace dies with it). */
const RUN_TIMEOUT_MS = 30_000;
const INSTALL = 'scripts/setup.sh installs it (Debian: nftables iptables ipset nginx-light apache2 tcpd python3 netcat-openbsd curl)';
const APACHE_MODULES = '/usr/lib/apache2/modules';
const APACHE_MODULE_NAMES = ['mpm_event', 'authz_core', 'authz_host', 'access_compat', 'remoteip'];
/** The daemons' port on 127.0.0.1, and the port the iptables probes connect to; the namespace is empty, so fixed ports are free. */
const HTTP_PORT = 8080;
const PROBE_PORT = 5555;
/** The tools live in sbin, which a non-login PATH may lack. */
const ENV = { ...process.env, PATH: [process.env.PATH, '/usr/sbin', '/sbin'].filter(Boolean).join(':') };

const COMMANDS: Record<Tool, string[]> = {
  ipset: ['ipset'],
  nft: ['nft'],
  iptables: ['iptables-restore', 'ip6tables-restore', 'nft', 'nc.openbsd', 'ip'],
  nginx: ['nginx', 'curl', 'ip'],
  apache: ['apache2', 'curl', 'ip'],
  tcpd: ['tcpdmatch', '/usr/bin/python3'],
};

let namespaceProblem: string | undefined | null = null;

/** Why namespaces cannot be used here, or undefined when they can (asked once). */
function namespaceUnavailable(): string | undefined {
  if (namespaceProblem !== null) return namespaceProblem;
  if (process.getuid?.() !== 0) namespaceProblem = 'the firewall oracles run as root (unshare -n, nft, ipset), and this process is not root';
  else {
    const probe = spawnSync('unshare', ['--net', '--pid', '--fork', '--kill-child', '--mount-proc', 'true'], { encoding: 'utf8', timeout: 10_000, env: ENV });
    namespaceProblem = probe.status === 0 ? undefined : `unshare cannot make namespaces here: ${probe.error?.message ?? probe.stderr.trim()}`;
  }
  return namespaceProblem;
}

/** Why `tool` cannot answer on this machine, or undefined when it can. */
export function oracleUnavailable(tool: Tool): string | undefined {
  const namespaces = namespaceUnavailable();
  if (namespaces) return namespaces;
  const missing = COMMANDS[tool].filter((command) => spawnSync('sh', ['-c', `command -v ${command}`], { env: ENV }).status !== 0);
  if (tool === 'apache') {
    if (!APACHE_MODULE_NAMES.every((name) => existsSync(`${APACHE_MODULES}/mod_${name}.so`)))
      missing.push(`the Apache modules ${APACHE_MODULE_NAMES.join(', ')} in ${APACHE_MODULES}`);
  }
  return missing.length === 0 ? undefined : `${missing.join(', ')} not found: ${INSTALL}`;
}

/** Whether the tool is installed and the namespaces it runs in can be made. */
export function oracleAvailable(tool: Tool): boolean {
  return oracleUnavailable(tool) === undefined;
}

/**
 * For a test: throws, saying how to install it, when `tool` cannot answer.
 * An oracle test never skips: `scripts/setup.sh` installs every tool, and a
 * skip would hide a missing install step.
 */
export function requireOracle(tool: Tool): void {
  const reason = oracleUnavailable(tool);
  if (reason !== undefined) throw new Error(`The ${tool} oracle is not available: ${reason}`);
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The end of a tool's output, for an error message. */
function tail(text: string): string {
  const trimmed = text.trim();
  return trimmed.length <= 4000 ? trimmed : `…${trimmed.slice(-4000)}`;
}

/**
 * Runs `script` (bash) in fresh network and PID namespaces, in a fresh folder
 * holding `files`, and removes the folder afterwards. `readable` opens the
 * folder to the daemons' unprivileged workers.
 */
async function inNamespace(
  script: string,
  files: Record<string, string> | ((dir: string) => Record<string, string>),
  options: { readable?: boolean; args?: string[] } = {},
): Promise<Run> {
  const dir = await mkdtemp(join(tmpdir(), 'blocklist-firewall-'));
  try {
    if (options.readable) await chmod(dir, 0o755);
    await writeFile(join(dir, 'run.sh'), `set -u\nip link set lo up\n${script}`);
    for (const [name, text] of Object.entries(typeof files === 'function' ? files(dir) : files)) await writeFile(join(dir, name), text);
    return await new Promise<Run>((resolve, reject) => {
      const child = spawn('unshare', ['--net', '--pid', '--fork', '--kill-child', '--mount-proc', 'bash', join(dir, 'run.sh'), ...(options.args ?? [])], {
        cwd: dir,
        env: ENV,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`the oracle run timed out after ${RUN_TIMEOUT_MS / 1000} s; it had printed: ${tail(stderr)}`));
      }, RUN_TIMEOUT_MS);
      child.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Asks `queries` and the two controls in one run, checks the controls, and returns the queries' answers. */
async function withControls<Q>(what: string, queries: Q[], yes: Q, no: Q, describe: (query: Q) => string, ask: (all: Q[]) => Promise<boolean[]>): Promise<boolean[]> {
  const [result] = await batchWithControls(
    what,
    [{ text: '', queries }],
    () => [yes, no],
    describe,
    async ([file]) => [{ loaded: true, message: '', answers: await ask([...file.queries]) }],
  );
  return result.answers;
}

/** One file of a batch: its text and the queries asked of it. */
export interface BatchFile<Q> {
  readonly text: string;
  readonly queries: readonly Q[];
}

/** What a tool made of one file of a batch: whether it loaded it, what it said when it did not, and its answers when it did. */
export interface FileAnswers {
  readonly loaded: boolean;
  readonly message: string;
  readonly answers: boolean[];
}

/**
 * Asks every file's queries and its two controls (a query that must come
 * out true and one that must come out false) after them, all in one run;
 * checks the controls of every file the tool loaded, and returns each
 * file's answers without them (none for a file it did not load).
 */
async function batchWithControls<Q>(
  what: string,
  files: readonly BatchFile<Q>[],
  controls: (file: BatchFile<Q>) => [yes: Q, no: Q],
  describe: (query: Q) => string,
  ask: (files: BatchFile<Q>[]) => Promise<FileAnswers[]>,
): Promise<FileAnswers[]> {
  const results = await ask(files.map((file) => ({ text: file.text, queries: [...file.queries, ...controls(file)] })));
  if (results.length !== files.length) throw new Error(`the oracle is broken: ${what} answered for ${results.length} of ${files.length} files`);
  return results.map((result, n) => {
    if (!result.loaded) return { ...result, answers: [] };
    const [yes, no] = controls(files[n]);
    const count = files[n].queries.length;
    const where = files.length > 1 ? ` (file ${n + 1} of ${files.length})` : '';
    if (result.answers.length !== count + 2) throw new Error(`the oracle is broken: ${what} gave ${result.answers.length} answers to ${count + 2} queries${where}`);
    const [yesAnswer, noAnswer] = result.answers.slice(count);
    const wrong = [
      ...(yesAnswer === true ? [] : [`${yesAnswer} for ${describe(yes)}, the control that must come out true`]),
      ...(noAnswer === false ? [] : [`${noAnswer} for ${describe(no)}, the control that must come out false`]),
    ];
    if (wrong.length > 0) throw new Error(`the oracle is broken: ${what} answered ${wrong.join(', and ')}${where}`);
    return { ...result, answers: result.answers.slice(0, count) };
  });
}

/** Throws unless the tool rejected the last file of a batch, the control that must not load. */
function rejectedControl(what: string, results: FileAnswers[]): FileAnswers[] {
  if (results.at(-1)?.loaded !== false) throw new Error(`the oracle is broken: ${what} loaded the control file that must fail`);
  return results.slice(0, -1);
}

/** A value that goes into a tab-separated query file or a command line as one word. */
function word(kind: string, value: string): string {
  if (!/^[\w.:/@+-]+$/.test(value)) throw new Error(`${kind} ${JSON.stringify(value)} is not a plain word`);
  return value;
}

function address(value: string): string {
  if (isIP(value) === 0) throw new Error(`${JSON.stringify(value)} is not an IP address`);
  return value;
}

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line !== '');
}

/** Splits a script's "RC<TAB>first line of output" lines. */
function results(run: Run, count: number, what: string): { rc: number; message: string }[] {
  const rows = lines(run.stdout).map(result);
  if (rows.length !== count) throw new Error(`${what} answered ${rows.length} of ${count} queries (exit ${run.code}): ${tail(run.stderr)}`);
  return rows;
}

function result(line: string): { rc: number; message: string } {
  const tab = line.indexOf('\t');
  return { rc: Number(line.slice(0, tab)), message: line.slice(tab + 1) };
}

const LOAD_FAILED = 20;

/** A run that ended in a way the script did not mean. */
function unexpected(what: string, run: Run): Error {
  return new Error(`${what} failed (exit ${run.code}): ${tail(run.stderr)}`);
}

const IPSET_SCRIPT = `
ipset restore -f sets.save || exit ${LOAD_FAILED}
ipset - < queries.ipset > /dev/null 2> answers || exit 21
cat answers
`;

/**
 * `ipset restore` the save file, then `test SET ADDRESS` for each query, all
 * in one `ipset -` (its batch mode, one answer a line): true = member. ipset
 * answers by the most specific entry of a hash:net set, `nomatch` entries
 * excepted.
 */
export async function ipsetDecisions(saveFileText: string, queries: IpsetQuery[], controls: SetControls<IpsetQuery>): Promise<boolean[]> {
  return withControls('ipset', queries, controls.member, controls.nonMember, describeIpset, async (all) => {
    const run = await inNamespace(IPSET_SCRIPT, { 'sets.save': saveFileText, 'queries.ipset': ipsetTests(all) });
    if (run.code === LOAD_FAILED) throw new Error(`ipset restore rejected the file: ${tail(run.stderr)}`);
    if (run.code !== 0) throw unexpected('ipset', run);
    return ipsetAnswers(lines(run.stdout), all);
  });
}

/** ipset's answers to `test SET ADDRESS` for each query, one a line: true = member. */
function ipsetAnswers(answers: string[], queries: readonly IpsetQuery[]): boolean[] {
  if (answers.length !== queries.length) throw new Error(`ipset gave ${answers.length} answers to ${queries.length} tests: ${tail(answers.join('\n'))}`);
  return answers.map((answer, index) => {
    const [, element, not, set] = /^(?:Warning: )?(\S+) is (NOT )?in set (\S+)\.$/.exec(answer) ?? [];
    if (element === undefined || set !== queries[index].set || canonical(element) !== canonical(queries[index].address)) {
      throw new Error(`ipset gave no answer for ${describeIpset(queries[index])}: ${answer}`);
    }
    return not === undefined;
  });
}

const describeIpset = (query: IpsetQuery) => `${query.address} in set ${query.set}`;

/** `test` commands for the queries, one a line. */
function ipsetTests(queries: readonly IpsetQuery[]): string {
  return queries.map((query) => `test ${word('set name', query.set)} ${address(query.address)}\n`).join('');
}

/** A set of the oracle's own, whose answers mark in ipset's output where each file starts and where its loading ended. */
const IPSET_MARKER = 'oracle_marker';
const ipsetMark = (address: string) => `create ${IPSET_MARKER} hash:ip\ntest ${IPSET_MARKER} ${address}\ndestroy ${IPSET_MARKER}\n`;
const IPSET_STARTS = `0.0.0.1 is NOT in set ${IPSET_MARKER}.`;
const IPSET_LOADED = `0.0.0.2 is NOT in set ${IPSET_MARKER}.`;
const IPSET_BATCH_SCRIPT = `
ipset - < commands.ipset > /dev/null 2> answers || exit 21
cat answers
`;

/**
 * Many save files in one `ipset -`, its interactive mode, which goes on
 * after an error and answers each `test` on a line (one process: about
 * 0.1 ms a command, where a process a file takes 100 ms): for each file,
 * every set is destroyed, the file's lines are given and its queries asked.
 * A file is loaded when its lines gave no message (`ipset restore` stops at
 * the first one). The last file of the run is the control that must not
 * load, a prefix out of range.
 */
export async function ipsetBatchDecisions(files: readonly BatchFile<IpsetQuery>[], controls: SetControls<IpsetQuery>): Promise<FileAnswers[]> {
  return batchWithControls(
    'ipset',
    files,
    () => [controls.member, controls.nonMember],
    describeIpset,
    async (asked) => {
      const all = [...asked, { text: 'create oracle_bad hash:net\nadd oracle_bad 192.0.2.0/33\n', queries: [] }];
      const commands = all.map((file) => `destroy\n${ipsetMark('0.0.0.1')}${file.text}\n${ipsetMark('0.0.0.2')}${ipsetTests(file.queries)}`).join('');
      const run = await inNamespace(IPSET_BATCH_SCRIPT, { 'commands.ipset': commands });
      if (run.code !== 0) throw unexpected('ipset', run);
      const output = lines(run.stdout);
      const starts = output.flatMap((line, n) => (line === IPSET_STARTS ? [n] : []));
      if (starts.length !== all.length) throw new Error(`ipset answered for ${starts.length} of ${all.length} files: ${tail(run.stdout)}`);
      const results = all.map((file, i) => {
        const part = output.slice(starts[i] + 1, starts[i + 1]);
        const loadedAt = part.indexOf(IPSET_LOADED);
        if (loadedAt < 0) throw new Error(`ipset did not get past file ${i + 1}: ${tail(part.join('\n'))}`);
        if (loadedAt > 0) return { loaded: false, message: part.slice(0, loadedAt).join('\n'), answers: [] };
        return { loaded: true, message: '', answers: ipsetAnswers(part.slice(loadedAt + 1), file.queries) };
      });
      return rejectedControl('ipset', results);
    },
  );
}

const CONTROL_GOOD = 30;
const CONTROL_BAD = 31;

/** Script lines that run `check FILE` on a control file that must pass and one that must fail (the fault the checks are used for). */
function controlChecks(check: string): string {
  return `
${check} control-good 2> control.log || { cat control.log >&2; exit ${CONTROL_GOOD}; }
${check} control-bad 2> /dev/null && exit ${CONTROL_BAD}
`;
}

/** Throws when a run of controlChecks ended on a control. */
function assertControls(what: string, run: Run): void {
  if (run.code === CONTROL_GOOD) throw new Error(`the oracle is broken: ${what} rejected the control file that must load: ${tail(run.stderr)}`);
  if (run.code === CONTROL_BAD) throw new Error(`the oracle is broken: ${what} accepted the control file that must fail`);
}

/** Runs `check FILE` on the two controls, then on the caller's file. */
async function checkWithControls(what: string, check: string, good: string, bad: string, text: string): Promise<CheckResult> {
  const run = await inNamespace(`${controlChecks(check)}${check} file\n`, { 'control-good': good, 'control-bad': bad, file: text });
  assertControls(what, run);
  return { ok: run.code === 0, message: run.stderr.trim() };
}

/**
 * Runs `check FILE` (the body of a bash function of the file's name, `$1`)
 * on the two controls, then on each of the caller's `count` files in turn,
 * all in one run: each file's exit status and message (on one line).
 * `files(dir)` gives the controls' and the files' texts.
 */
async function checkEachWithControls(what: string, check: string, count: number, files: (dir: string) => { good: string; bad: string; texts: string[] }): Promise<CheckResult[]> {
  const script = `check() { ${check}; }
${controlChecks('check')}
for ((n = 0; n < $1; n++)); do
  check "file-$n" 2> file.log; printf '%s\\t%s\\n' "$?" "$(tr '\\n' ' ' < file.log)"
done
`;
  const written = (dir: string) => {
    const { good, bad, texts } = files(dir);
    return { 'control-good': good, 'control-bad': bad, ...Object.fromEntries(texts.map((text, n) => [`file-${n}`, text])) };
  };
  const run = await inNamespace(script, written, { args: [String(count)] });
  assertControls(what, run);
  if (run.code !== 0) throw unexpected(what, run);
  return results(run, count, what).map(({ rc, message }) => ({ ok: rc === 0, message: message.trim() }));
}

/** An ipset save file with an element, and with it again (which restore refuses). */
function ipsetControl(again: boolean): string {
  return `create oracle_control hash:net\nadd oracle_control 192.0.2.0/24\n${again ? 'add oracle_control 192.0.2.0/24\n' : ''}`;
}

/**
 * `ipset restore` of each file, in a fresh state: whether it loads, and the
 * line ipset names ("Error in line N"; a line it cannot split into words,
 * it names none). Each file goes to restore after a `destroy` line of its
 * own, which destroys every set the file before made (one process a file).
 * Controls: a set with an element must load, and the element added again
 * must not.
 */
export async function ipsetRestoreChecks(saveFileTexts: string[]): Promise<LoaderCheck[]> {
  const fresh = (text: string) => `destroy\n${text}`;
  const checks = await checkEachWithControls('ipset restore', 'ipset restore -f "$1"', saveFileTexts.length, () => ({
    good: fresh(ipsetControl(false)),
    bad: fresh(ipsetControl(true)),
    texts: saveFileTexts.map(fresh),
  }));
  return checks.map((check) => ({ ...check, ...lineNamed(/Error in line (\d+):/, check.message, 1) }));
}

/**
 * `apache2 -t` of each body in the `<Directory>` of the configuration
 * apacheDecisions runs (`apacheConfig`): whether Apache would start, and the
 * line of the body it names ("Syntax error on line N"; a check made after
 * reading, such as a <RequireAll> of negative directives, names none).
 * Controls: `Require all granted` must load, `Require not ip` beside it must not.
 */
export async function apacheConfigChecks(directoryBodies: string[]): Promise<LoaderCheck[]> {
  const checks = await checkEachWithControls('apache2 -t', 'apache2 -t -f "$PWD/$1"', directoryBodies.length, (dir) => ({
    good: apacheConfig(dir, 'Require all granted').text,
    bad: apacheConfig(dir, 'Require all granted\nRequire not ip 192.0.2.1').text,
    texts: directoryBodies.map((body) => apacheConfig(dir, body).text),
  }));
  return checks.map((check) => ({ ...check, ...lineNamed(/Syntax error on line (\d+) of /, check.message, apacheConfig('', '').bodyLine - 1) }));
}

/** The line of the checked text a message names (its number less `offset`, the lines before the text), if it names one. */
function lineNamed(pattern: RegExp, message: string, offset: number): { line?: number } {
  const named = pattern.exec(message)?.[1];
  return named === undefined ? {} : { line: Number(named) - offset };
}

/** An nft interval set holding `elements`. */
function nftControl(elements: string): string {
  return `table inet oracle_control {\n  set s {\n    type ipv4_addr\n    flags interval\n    elements = { ${elements} }\n  }\n}\n`;
}

/**
 * `nft -c -f`: whether nft would load the ruleset, and its message (the file
 * is named "file" in it). Controls: an interval set must load, and one with
 * conflicting intervals must not.
 */
export async function nftCheck(rulesetText: string): Promise<CheckResult> {
  return checkWithControls('nft -c', 'nft -c -f', nftControl('192.0.2.0/24'), nftControl('192.0.2.0/24, 192.0.2.1'), rulesetText);
}

const NFT_NOT_MEMBER = 'Error: Could not process rule: No such file or directory';
const NFT_SCRIPT = `
nft -f ruleset.nft || exit ${LOAD_FAILED}
nft -i < queries.nft > members 2> errors || exit 21
grep -c '^table ' members
cat errors
`;

/**
 * `nft -f` the ruleset, then `get element FAMILY TABLE SET { ADDRESS }` for
 * each query, all in one `nft -i` (which goes on after a failed command):
 * true = member (of an interval set: inside one of its intervals). A query
 * whose command failed with "No such file or directory" is not a member; any
 * other error throws; the members' count is checked against nft's output.
 */
export async function nftElementDecisions(rulesetText: string, queries: NftQuery[], controls: SetControls<NftQuery>): Promise<boolean[]> {
  return withControls('nft', queries, controls.member, controls.nonMember, describeNft, async (all) => {
    const run = await inNamespace(NFT_SCRIPT, { 'ruleset.nft': rulesetText, 'queries.nft': all.map((query) => `${getElement(query)}\n`).join('') });
    if (run.code === LOAD_FAILED) throw new Error(`nft rejected the ruleset: ${tail(run.stderr)}`);
    if (run.code !== 0) throw unexpected('nft', run);
    const [count, ...errors] = run.stdout.split('\n');
    const absent = new Set<string>();
    errors.forEach((line, index) => {
      if (!line.startsWith('Error: ')) return;
      if (line !== NFT_NOT_MEMBER) throw new Error(`nft failed on ${errors[index + 1]}: ${line}`);
      absent.add(errors[index + 1]);
    });
    const answers = all.map((query) => !absent.has(getElement(query)));
    const members = answers.filter(Boolean).length;
    if (Number(count) !== members) throw new Error(`the oracle is broken: nft printed ${count} sets for ${members} members: ${tail(run.stdout)}`);
    return answers;
  });
}

const describeNft = (query: NftQuery) => `${query.address} in set ${query.family} ${query.table} ${query.set}`;
const getElement = (query: NftQuery) => `get element ${word('family', query.family)} ${word('table', query.table)} ${word('set', query.set)} { ${address(query.address)} }`;

const NFT_BATCH_SCRIPT = `
nft -j -i < commands.nft > listings 2> errors || { cat errors >&2; exit 21; }
cat listings
cat errors >&2
`;

/** An element of a set as `nft -j` lists it: an address, a prefix, a range, or one of these with options. */
type NftElement = string | { prefix: { addr: string; len: number } } | { range: [string, string] } | { elem: { val: NftElement } };

interface NftTableListing {
  nftables: { set?: { family: string; table: string; name: string; elem?: NftElement[] } }[];
}

/**
 * Many rulesets in one `nft -j -i` (a process a ruleset would take 0.1 s or
 * more, and a `get element` a query some 3 ms): for each, `flush ruleset`,
 * `include` the file — one transaction, so a file nft rejects loads nothing,
 * as with `nft -f` — and `list table` for each table the queries name.
 * Around the include, `list table` of tables that do not exist marks in
 * nft's messages where the file's own begin and end: a file is loaded when
 * it gave none. A query is answered by the elements nft lists for its set
 * (addresses, prefixes and ranges, as the kernel holds them): true = inside
 * one. The last ruleset of the run is the control that must not load,
 * conflicting intervals.
 */
export async function nftBatchDecisions(files: readonly BatchFile<NftQuery>[], controls: (file: BatchFile<NftQuery>) => SetControls<NftQuery>): Promise<FileAnswers[]> {
  const pair = (file: BatchFile<NftQuery>): [NftQuery, NftQuery] => [controls(file).member, controls(file).nonMember];
  return batchWithControls('nft', files, pair, describeNft, async (asked) => {
    const all = [...asked, { text: nftControl('192.0.2.0/24, 192.0.2.1'), queries: [] }];
    const mark = (what: string, i: number) => `list table ip oracle_${what}_${i}`;
    const tables = all.map((file) => [...new Set(file.queries.map((query) => `${word('family', query.family)} ${word('table', query.table)}`))]);
    const files = (dir: string) => ({
      ...Object.fromEntries(all.map((file, i) => [`ruleset-${i}.nft`, file.text])),
      'commands.nft': all
        .map(
          (_, i) => `flush ruleset\n${mark('starts', i)}\ninclude "${dir}/ruleset-${i}.nft"\n${mark('loaded', i)}\n${tables[i].map((table) => `list table ${table}\n`).join('')}`,
        )
        .join(''),
    });
    const run = await inNamespace(NFT_BATCH_SCRIPT, files);
    if (run.code !== 0) throw unexpected('nft', run);
    // Each failed command: "Error: MESSAGE", the command, a line of carets; a mark's message is its own.
    const errors = run.stderr.split('\n');
    // The listings of the tables of every ruleset nft loaded, in turn, a JSON document a line.
    const listings = lines(run.stdout);
    const results = all.map((file, i) => {
      const [starts, loaded] = [errors.indexOf(mark('starts', i)), errors.indexOf(mark('loaded', i))];
      if (starts < 0 || loaded < starts) throw new Error(`nft did not get past ruleset ${i + 1}: ${tail(run.stderr)}`);
      const messages = errors.slice(starts + 2, loaded - 1);
      if (messages.length > 0) return { loaded: false, message: messages.join('\n'), answers: [] };
      const sets = new Map<string, NftElement[]>();
      for (const table of tables[i]) {
        const listing = listings.shift();
        if (listing === undefined) throw new Error(`nft listed no table ${table} of ruleset ${i + 1}: ${tail(run.stderr)}`);
        for (const { set } of (JSON.parse(listing) as NftTableListing).nftables) if (set) sets.set(`${set.family} ${set.table} ${set.name}`, set.elem ?? []);
      }
      const answers = file.queries.map((query) => {
        const elements = sets.get(`${query.family} ${query.table} ${query.set}`);
        if (elements === undefined) throw new Error(`nft lists no set ${query.family} ${query.table} ${query.set} in ruleset ${i + 1}`);
        return elements.some((element) => holdsAddress(element, query.address));
      });
      return { loaded: true, message: '', answers };
    });
    if (listings.length > 0) throw new Error(`the oracle is broken: nft listed ${listings.length} tables more than the rulesets it loaded have`);
    return rejectedControl('nft', results);
  });
}

/** Whether an element nft lists holds `address`. */
function holdsAddress(element: NftElement, address: string): boolean {
  if (typeof element === 'string') return isIP(element) === isIP(address) && addressValue(element) === addressValue(address);
  if ('elem' in element) return holdsAddress(element.elem.val, address);
  const value = addressValue(address);
  if ('range' in element) return isIP(element.range[0]) === isIP(address) && addressValue(element.range[0]) <= value && value <= addressValue(element.range[1]);
  const { addr, len } = element.prefix;
  const bits = isIP(addr) === 6 ? 128 : 32;
  return isIP(addr) === isIP(address) && addressValue(addr) >> BigInt(bits - len) === value >> BigInt(bits - len);
}

/** An address as a number (IPv4 and IPv6 apart by `isIP`). */
function addressValue(text: string): bigint {
  if (isIP(text) === 4) return text.split('.').reduce((value, octet) => value * 256n + BigInt(octet), 0n);
  const [head, rest] = canonical(text).split('::');
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const all = rest === undefined ? groups(head) : [...groups(head), ...Array<string>(8 - groups(head).length - groups(rest).length).fill('0'), ...groups(rest)];
  return all.reduce((value, group) => (value << 16n) + BigInt(parseInt(group, 16)), 0n);
}

/** 6 when any word of an iptables-save file is an IPv6 address or prefix, else 4. */
export function iptablesFamily(text: string): 4 | 6 {
  return text.split(/\s+/).some((token) => isIP(token.replace(/\/\d+$/, '')) === 6) ? 6 : 4;
}

/**
 * `iptables-restore --test` (`ip6tables-restore` for an IPv6 file): whether
 * the file would load, and the tool's message. Controls: a DROP rule must
 * load, and one whose `-s` has no address must not.
 */
export async function iptablesCheck(text: string, family: 4 | 6 = iptablesFamily(text)): Promise<CheckResult> {
  const tool = family === 6 ? 'ip6tables-restore' : 'iptables-restore';
  const control = (source: string) => `*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -s ${source} -j DROP\nCOMMIT\n`;
  return checkWithControls(`${tool} --test`, `${tool} --test`, control(family === 6 ? '2001:db8::1/128' : '192.0.2.1/32'), control(''), text);
}

/** How long a script waits for a state (a probe's SYN seen, a daemon listening) before it gives up, in seconds. */
const WAIT_SECONDS = 10;
/** Bash: `waited` succeeds once WAIT_SECONDS have passed since the script started. */
const WAITED = `waited() { (( \${EPOCHREALTIME/./} - start > ${WAIT_SECONDS}000000 )); }\nstart=\${EPOCHREALTIME/./}\n`;
const IPTABLES_SCRIPT = `${WAITED}
family=$1
if [ "$family" = 6 ]; then restore=ip6tables-restore; target=::1; else restore=iptables-restore; target=127.0.0.1; fi
ip -batch addresses.ip || exit 21
$restore rules || exit ${LOAD_FAILED}
nft -f observe.nft || exit 22
while read -r src; do nc.openbsd -z -w 5 -s "$src" "$target" ${PROBE_PORT} >/dev/null 2>&1 & done < sources
want=$(wc -l < sources)
# Counts the words of the listing that are addresses (nft 1.0.6 crashes on a get element of hundreds).
seen() { nft list set inet oracle_observe seen | tr -s ' ,{}\\t' '\\n' | grep -c '^[0-9a-f]*[.:][0-9a-f.:]*$'; }
until [ "$(seen)" -ge "$want" ]; do
  if waited; then echo "only $(seen) of $want probes reached the firewall in ${WAIT_SECONDS} s:" >&2; nft list set inet oracle_observe seen >&2; exit 23; fi
  sleep 0.01
done
nft -j list set inet oracle_observe passed
`;

/**
 * The observer: an nft table of our own whose chains run before every other
 * prerouting hook (priority -500: the probe's SYN has arrived) and after every
 * other input hook (priority 500: the SYN got through everything the file
 * loaded, in every table). Dropping in any chain is final, so a SYN seen but
 * not passed was blocked.
 */
function observer(family: 4 | 6): string {
  const [type, selector] = family === 6 ? ['ipv6_addr', 'ip6 saddr'] : ['ipv4_addr', 'ip saddr'];
  const probe = `tcp dport ${PROBE_PORT} tcp flags & (syn | ack) == syn`;
  return `table inet oracle_observe {
  set seen {
    type ${type}
    flags dynamic
  }
  set passed {
    type ${type}
    flags dynamic
  }
  chain before {
    type filter hook prerouting priority -500; policy accept;
    ${probe} add @seen { ${selector} }
  }
  chain after {
    type filter hook input priority 500; policy accept;
    ${probe} add @passed { ${selector} }
  }
}
`;
}

/** An address as the kernel prints it (IPv6 compressed, lower case), to compare with nft's output. */
function canonical(value: string): string {
  return isIP(value) === 6 ? new URL(`http://[${value}]/`).hostname.slice(1, -1) : value;
}

interface NftSetListing {
  nftables: { set?: { elem?: (string | { elem: { val: string } })[] } }[];
}

/**
 * Whether the file's rules block a new TCP connection from each source:
 * true = blocked. Inside the namespace each source is added to `lo`, the file
 * is loaded with `iptables-restore` (`ip6tables-restore` for IPv6 sources; the
 * sources must all be of one family), and `nc -z -s SOURCE` (netcat-openbsd) sends a SYN to
 * 127.0.0.1 (::1) port 5555 from every source at once. The verdict is read
 * from the kernel, not from a timeout: the observer (above) records each SYN
 * as it arrives and again if it got through the input path, and the run waits
 * until every source's SYN has arrived (a SYN goes from the first hook to
 * the last within one softirq, long before the next nft command reads the
 * sets). So a dropped SYN is told from a slow one without a guess, 50
 * sources take one run of about half a second (500: about 5 s, one nc each),
 * and a file whose policy drops the reply from 127.0.0.1 still answers for
 * the sources. The answer is for TCP to port 5555: a rule limited to another
 * protocol or port decides nothing here.
 */
export async function iptablesPacketDecisions(text: string, sources: string[], controls: AccessControls<string>): Promise<boolean[]> {
  return withControls(
    'iptables',
    sources,
    controls.blocked,
    controls.allowed,
    (source) => `source ${source}`,
    async (all) => {
      const families = new Set(all.map((source) => isIP(address(source))));
      if (families.size !== 1) throw new Error('the iptables oracle takes sources of one family per call (iptables-restore or ip6tables-restore)');
      const family = families.has(6) ? 6 : 4;
      const unique = [...new Set(all.map(canonical))];
      const files = {
        rules: text,
        sources: unique.join('\n') + '\n',
        'addresses.ip': unique.map((source) => `address add ${source}/${family === 6 ? '128 dev lo nodad' : '32 dev lo'}\n`).join(''),
        'observe.nft': observer(family),
      };
      const run = await inNamespace(IPTABLES_SCRIPT, files, { args: [String(family)] });
      if (run.code === LOAD_FAILED) throw new Error(`${family === 6 ? 'ip6tables-restore' : 'iptables-restore'} rejected the file: ${tail(run.stderr)}`);
      if (run.code !== 0) throw unexpected('the iptables probe', run);
      const listing = JSON.parse(run.stdout) as NftSetListing;
      const passed = new Set(listing.nftables.flatMap((entry) => entry.set?.elem ?? []).map((elem) => canonical(typeof elem === 'string' ? elem : elem.elem.val)));
      return all.map((source) => !passed.has(canonical(source)));
    },
  );
}

/** A request of the daemons' oracles: from which client (sent as X-Forwarded-For), to which port, path and method. */
interface HttpRequest {
  readonly client: string;
  readonly port: number;
  readonly path: string;
  readonly method: string;
}

/** One curl run asks every address in turn, each as the X-Forwarded-For client, and prints one status code a line. */
function curlRequests(addresses: string[]): string {
  return curlConfig(addresses.map((client) => ({ client, port: HTTP_PORT, path: '/index.html', method: 'GET' })));
}

/** A curl config that makes every request in turn and prints one status code a line. */
function curlConfig(requests: readonly HttpRequest[]): string {
  return requests
    .map(({ client, port, path, method }) =>
      [
        `url = "http://127.0.0.1:${port}${word('path', path)}"`,
        `request = "${word('method', method)}"`,
        `header = "X-Forwarded-For: ${address(client)}"`,
        'silent',
        'max-time = 5',
        'output = "/dev/null"',
        'write-out = "%{http_code}\\n"',
      ].join('\n'),
    )
    .join('\nnext\n');
}

/** Starts a daemon in the background, waits until it listens on 127.0.0.1:HTTP_PORT (or dies), asks with curl, and stops it by its PID. */
function daemonScript(check: string, start: string, log: string): string {
  const listening = `0100007F:${HTTP_PORT.toString(16).toUpperCase().padStart(4, '0')} 00000000:0000 0A`;
  return `${WAITED}
${check} 2> check.log || { cat check.log >&2; exit ${LOAD_FAILED}; }
${start} & pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null' EXIT
until grep -q '${listening}' /proc/net/tcp; do
  if ! kill -0 "$pid" 2>/dev/null || waited; then echo "the daemon did not start listening:" >&2; cat ${log} >&2; exit 21; fi
  sleep 0.01
done
curl -K requests.curl || { echo "curl failed:" >&2; cat ${log} >&2; exit 22; }
`;
}

/**
 * Reads curl's status codes: 403 = true (blocked); 200, and for requests
 * past the access phase to no file (404) or with a method a static file does
 * not take (405), false; anything else is an error.
 */
function statuses(what: string, run: Run, clients: string[], passed = ['200']): boolean[] {
  if (run.code === LOAD_FAILED) throw new Error(`${what} rejected the configuration: ${tail(run.stderr)}`);
  if (run.code !== 0) throw unexpected(what, run);
  const codes = lines(run.stdout);
  if (codes.length !== clients.length) throw new Error(`${what} answered ${codes.length} of ${clients.length} requests: ${tail(run.stderr)}`);
  return codes.map((code, index) => {
    if (code === '403') return true;
    if (passed.includes(code)) return false;
    throw new Error(`${what} answered HTTP ${code} for client ${clients[index]}: ${tail(run.stderr)}`);
  });
}

export interface NginxQuery {
  readonly address: string;
  readonly path: string;
  readonly method: 'GET' | 'POST';
}

/**
 * nginx on 127.0.0.1 with the real-IP module, the directives (`allow`,
 * `deny`) in `location /`, and a static index.html (a `return` would answer
 * before the access phase): true = 403. One start for all addresses, IPv4
 * and IPv6, each sent as X-Forwarded-For.
 */
export async function nginxDecisions(accessDirectives: string, addresses: string[], controls: AccessControls<string>): Promise<boolean[]> {
  const get = (address: string): NginxQuery => ({ address, path: '/index.html', method: 'GET' });
  const [result] = await nginxServerDecisions([{ text: `location / {\n${accessDirectives}\n}\n`, queries: addresses.map(get) }], {
    blocked: get(controls.blocked),
    allowed: get(controls.allowed),
  });
  return result;
}

/**
 * nginx on 127.0.0.1 with the real-IP module, each file the body of a
 * server of its own (`include`d, so nginx's messages name the file) on a
 * port of its own, serving a static index.html (a `return` would answer
 * before the access phase): true = 403. A request past the access phase to
 * a path without a file (404), or a POST (405), is allowed. One start for
 * every file and query, each client sent as X-Forwarded-For.
 */
export async function nginxServerDecisions(files: readonly BatchFile<NginxQuery>[], controls: AccessControls<NginxQuery>): Promise<boolean[][]> {
  const describe = ({ address, path, method }: NginxQuery) => `client ${address}${path === '/index.html' && method === 'GET' ? '' : ` (${method} ${path})`}`;
  const results = await batchWithControls(
    'nginx',
    files,
    () => [controls.blocked, controls.allowed],
    describe,
    async (asked) => {
      const requests = asked.flatMap((file, i) => file.queries.map(({ address, path, method }) => ({ client: address, port: HTTP_PORT + i, path, method })));
      const script = daemonScript('nginx -t -q -c "$PWD/nginx.conf"', 'nginx -c "$PWD/nginx.conf"', 'error.log');
      const servers = (dir: string) =>
        asked.map(
          (_, i) => `  server {
    listen 127.0.0.1:${HTTP_PORT + i};
    set_real_ip_from 127.0.0.1;
    real_ip_header X-Forwarded-For;
    root ${dir};
    include ${dir}/server-${i}.conf;
  }
`,
        );
      const files = (dir: string) => ({
        ...Object.fromEntries(asked.map((file, i) => [`server-${i}.conf`, file.text])),
        'nginx.conf': `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events {
  worker_connections ${64 + asked.length};
}
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
${servers(dir).join('')}}
`,
        'index.html': 'ok\n',
        'requests.curl': curlConfig(requests),
      });
      const answers = statuses(
        'nginx',
        await inNamespace(script, files, { readable: true }),
        requests.map((request) => request.client),
        ['200', '404', '405'],
      );
      let next = 0;
      return asked.map((file) => ({ loaded: true, message: '', answers: answers.slice(next, (next += file.queries.length)) }));
    },
  );
  return results.map((result) => result.answers);
}

/**
 * A configuration of Apache's own in folder `dir`: 127.0.0.1 only, the
 * modules the oracles load, the client taken from X-Forwarded-For, and
 * `directoryBody` in the `<Directory>` of `dir` (from line `bodyLine` on).
 */
function apacheConfig(dir: string, directoryBody: string): { text: string; bodyLine: number } {
  const head = `ServerRoot ${dir}
ServerName oracle.invalid
Listen 127.0.0.1:${HTTP_PORT}
PidFile ${dir}/httpd.pid
ErrorLog ${dir}/error.log
LogLevel warn
DefaultRuntimeDir ${dir}
Mutex file:${dir} default
User #65534
Group #65534
${APACHE_MODULE_NAMES.map((name) => `LoadModule ${name}_module ${APACHE_MODULES}/mod_${name}.so`).join('\n')}
RemoteIPHeader X-Forwarded-For
RemoteIPInternalProxy 127.0.0.1
DocumentRoot ${dir}
<Directory ${dir}>
`;
  return { text: `${head}${directoryBody}\n</Directory>\n`, bodyLine: head.split('\n').length };
}

/**
 * Apache 2.4 (Debian apache2) on 127.0.0.1 with only mpm_event, authz_core,
 * authz_host, access_compat and remoteip loaded, the body (2.4 `Require` or
 * 2.2 `Order`/`Allow`/`Deny`) in the `<Directory>` of a static index.html:
 * true = 403. One start for all addresses, each sent as X-Forwarded-For.
 */
export async function apacheDecisions(directoryBody: string, addresses: string[], controls: AccessControls<string>): Promise<boolean[]> {
  return withControls(
    'apache',
    addresses,
    controls.blocked,
    controls.allowed,
    (client) => `client ${client}`,
    async (all) => {
      const script = daemonScript('apache2 -t -f "$PWD/httpd.conf"', 'apache2 -f "$PWD/httpd.conf" -DFOREGROUND', 'error.log');
      const files = (dir: string) => ({
        'httpd.conf': apacheConfig(dir, directoryBody).text,
        'index.html': 'ok\n',
        'requests.curl': curlRequests(all),
      });
      return statuses('apache', await inNamespace(script, files, { readable: true }), all);
    },
  );
}

const TCPD_SCRIPT = `
while IFS=$'\\t' read -r daemon client; do
  out=$(tcpdmatch -d "$daemon" "$client" 2>&1); rc=$?
  printf '%s\\t%s\\n' "$rc" "\${out//$'\\n'/ }"
done < queries.tsv
`;

/**
 * `tcpdmatch -d DAEMON CLIENT` with the two files in its current folder
 * (hosts.allow first, then hosts.deny, else granted): true = denied.
 */
export async function tcpdDecisions(hostsAllow: string, hostsDeny: string, queries: TcpdQuery[], controls: AccessControls<TcpdQuery>): Promise<boolean[]> {
  return withControls('tcpd', queries, controls.blocked, controls.allowed, describeTcpd, async (all) => {
    const run = await inNamespace(TCPD_SCRIPT, { 'hosts.allow': hostsAllow, 'hosts.deny': hostsDeny, 'queries.tsv': tcpdQueries(all) });
    if (run.code !== 0) throw unexpected('tcpdmatch', run);
    return tcpdmatchAnswers(results(run, all.length, 'tcpdmatch'), all);
  });
}

const describeTcpd = (query: TcpdQuery) => `${query.daemon} from ${query.address}`;
const tcpdQueries = (queries: readonly TcpdQuery[]) => queries.map((query) => `${word('daemon', query.daemon)}\t${address(query.address)}\n`).join('');

/** tcpdmatch's verdicts: true = denied. */
function tcpdmatchAnswers(rows: { rc: number; message: string }[], queries: readonly TcpdQuery[]): boolean[] {
  return rows.map(({ rc, message }, index) => {
    const access = rc === 0 ? /access:\s+(granted|denied)/.exec(message)?.[1] : undefined;
    if (access === undefined) throw new Error(`tcpdmatch gave no answer for ${describeTcpd(queries[index])} (exit ${rc}): ${message}`);
    return access === 'denied';
  });
}

/**
 * Asks libwrap, the library of tcpd and tcpdmatch, as tcpdmatch does
 * (`dry_run`, so options only say what they would do): `hosts_ctl(DAEMON,
 * "unknown", CLIENT, "unknown")` with the tables PAIR.allow and PAIR.deny,
 * for each line `PAIR<TAB>DAEMON<TAB>CLIENT`; prints granted or denied. Run
 * by Debian's /usr/bin/python3: a pyenv shim first on PATH takes seconds
 * to start.
 */
const LIBWRAP_PY = `import ctypes, sys
libwrap = ctypes.CDLL('libwrap.so.0')
ctypes.c_int.in_dll(libwrap, 'dry_run').value = 1
tables = {}
for line in sys.stdin:
    pair, daemon, client = line.rstrip('\\n').split('\\t')
    if pair not in tables:
        tables[pair] = [ctypes.create_string_buffer(f'{pair}.{name}'.encode()) for name in ('allow', 'deny')]
    for name, table in zip(('hosts_allow_table', 'hosts_deny_table'), tables[pair]):
        ctypes.c_void_p.in_dll(libwrap, name).value = ctypes.addressof(table)
    print('granted' if libwrap.hosts_ctl(daemon.encode(), b'unknown', client.encode(), b'unknown') else 'denied')
`;

/** How many queries of a batch's first pair tcpdmatch answers too, to hold libwrap to it. */
const TCPDMATCH_SAMPLE = 24;

const TCPD_BATCH_SCRIPT = `
/usr/bin/python3 libwrap.py < queries.tsv || exit 22
mkdir sample && cp pair-0.allow sample/hosts.allow && cp pair-0.deny sample/hosts.deny && cp sample.tsv sample/queries.tsv && cd sample || exit 23
${TCPD_SCRIPT}`;

/**
 * Many pairs of hosts.allow and hosts.deny in one run, asked of libwrap in
 * one process (tcpdmatch takes a process, some 5 to 40 ms, a query): true =
 * denied. The first queries of the first pair go to tcpdmatch as well,
 * which must answer them alike.
 */
export async function tcpdBatchDecisions(files: readonly (BatchFile<TcpdQuery> & { allow: string })[], controls: AccessControls<TcpdQuery>): Promise<boolean[][]> {
  const decided = await batchWithControls(
    'tcpd',
    files,
    () => [controls.blocked, controls.allowed],
    describeTcpd,
    async (asked) => {
      const queries = asked.flatMap((file, i) => file.queries.map((query) => ({ i, query })));
      // The batch's files are the caller's, with the controls among their queries: hosts.allow comes from the caller's.
      const pairs = asked.flatMap((file, i) => [
        [`pair-${i}.allow`, files[i].allow],
        [`pair-${i}.deny`, file.text],
      ]);
      const sample = asked[0]?.queries.slice(0, TCPDMATCH_SAMPLE) ?? [];
      const run = await inNamespace(TCPD_BATCH_SCRIPT, {
        ...Object.fromEntries(pairs),
        'libwrap.py': LIBWRAP_PY,
        'queries.tsv': queries.map(({ i, query }) => `pair-${i}\t${tcpdQueries([query])}`).join(''),
        'sample.tsv': tcpdQueries(sample),
      });
      if (run.code !== 0) throw unexpected('libwrap', run);
      const output = lines(run.stdout);
      if (output.length !== queries.length + sample.length)
        throw new Error(`libwrap and tcpdmatch answered ${output.length} of ${queries.length + sample.length} queries: ${tail(run.stderr)}`);
      const answers = output.slice(0, queries.length).map((answer, n) => {
        if (answer !== 'granted' && answer !== 'denied') throw new Error(`libwrap gave no answer for ${describeTcpd(queries[n].query)}: ${answer}`);
        return answer === 'denied';
      });
      tcpdmatchAnswers(output.slice(queries.length).map(result), sample).forEach((denied, n) => {
        if (denied !== answers[n]) throw new Error(`the oracle is broken: libwrap and tcpdmatch disagree on ${describeTcpd(sample[n])} with hosts.deny\n${asked[0].text}`);
      });
      let next = 0;
      return asked.map((file) => ({ loaded: true, message: '', answers: answers.slice(next, (next += file.queries.length)) }));
    },
  );
  return decided.map((result) => result.answers);
}
