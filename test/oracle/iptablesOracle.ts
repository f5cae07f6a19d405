/**
 * The kernel's iptables as an oracle for many files at once (issue 9): one
 * run of `iptables_probe.py` in fresh network and PID namespaces loads the
 * files one after another with iptables-restore (ip6tables-restore), or
 * nftables rulesets with `nft -f`, and, for each, says whether it loads, what the loader said, and which sources'
 * TCP SYNs to the loopback address the input path drops — the observer of
 * `iptablesPacketDecisions` in firewalls.ts, at a few execs a file instead
 * of a namespace and a process per source. `iptables-restore --test` can be
 * asked of all the files at once, first.
 *
 * Every call has controls: each file that loads is asked the caller's two
 * controls (an address it must drop, one it must let through: the caller's
 * files plant them), and two files of our own go first, one that must load
 * and answer the controls, one that must not load. When one comes out
 * wrong the call throws "the oracle is broken: …".
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { audit } from '../../server/src/core/analysis/audit';
import { EntryIndex } from '../../server/src/core/analysis/entryIndex';
import { parseDocument } from '../../server/src/core/document/document';
import { aggregate, fixAll, fixesForEntry } from '../../server/src/core/fixes/fixes';
import { applyEdits, type TextEdit } from '../../server/src/core/fixes/rewrite';
import type { Format } from '../../server/src/core/formats/format';
import { requireOracle, type AccessControls, type CheckResult } from './firewalls';
import { root } from './oracles';

const PYTHON = '/usr/bin/python3';
/** The first port the probes connect to on the loopback address (a port a file); the namespace is empty, so they are free. */
const FIRST_PORT = 10_000;
/** How long one run may take before its namespace is killed. */
const RUN_TIMEOUT_MS = 240_000;
/** The tools live in sbin, which a non-login PATH may lack. */
const ENV = { ...process.env, PATH: [process.env.PATH, '/usr/sbin', '/sbin'].filter(Boolean).join(':') };

/** A file for the kernel and the sources to ask about. */
export interface KernelCase {
  readonly text: string;
  readonly sources: readonly string[];
}

export interface KernelAnswer {
  readonly loads: boolean;
  /** What iptables-restore said, when it refused the file. */
  readonly message: string;
  /** Per source (empty when the file does not load): whether INPUT drops its SYN. */
  readonly blocked: readonly boolean[];
}

/** What `--test` said of the files, all at once, and the first it refused. */
export interface KernelCheck extends CheckResult {
  readonly refused: number | undefined;
}

/** For a test: throws, saying how to install it, when the kernel cannot answer here. */
export function requireKernelOracle(): void {
  requireOracle('iptables');
  if (!existsSync(PYTHON)) throw new Error(`The iptables oracle is not available: ${PYTHON} not found (Debian: python3; scripts/setup.sh installs it).`);
}

/** What loads the files: iptables-restore (ip6tables-restore), or `nft -f` (nftables rulesets, each replacing the tables of the one before). */
export type KernelLoader = 'iptables' | 'nft';

/** Per loader: a file that drops `blocked` and must load, and one the loader must refuse. */
const SENTINELS: Record<KernelLoader, (blocked: string) => [string, string]> = {
  iptables: (blocked) => [`*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -s ${blocked} -j DROP\nCOMMIT\n`, `*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -s -j DROP\nCOMMIT\n`],
  nft: (blocked) => {
    const chain = (rule: string) => `table inet oracle_sentinel {\n  chain input {\n    type filter hook input priority 0; policy accept;\n    ${rule}\n  }\n}\n`;
    return [chain(`${isIP(blocked) === 6 ? 'ip6' : 'ip'} saddr ${blocked} drop`), chain('ip saddr drop')];
  },
};

/**
 * What the kernel makes of each case, all in one run, the sources all of
 * `family`; with `check`, what `iptables-restore --test` makes of them
 * first (iptables files only). Throws when a control comes out wrong.
 */
export async function kernelAnswers(
  family: 4 | 6,
  cases: readonly KernelCase[],
  controls: AccessControls<string>,
  { check = false, loader = 'iptables' }: { check?: boolean; loader?: KernelLoader } = {},
): Promise<{ answers: KernelAnswer[]; check: KernelCheck | undefined }> {
  for (const source of [controls.blocked, controls.allowed, ...cases.flatMap((c) => c.sources)]) {
    if (isIP(source) !== family) throw new Error(`${JSON.stringify(source)} is not an IPv${family} address`);
  }
  if (check && loader !== 'iptables') throw new Error('only iptables files are checked with --test');
  const sentinels: KernelCase[] = SENTINELS[loader](controls.blocked).map((text) => ({ text, sources: [] }));
  const all = [...sentinels, ...cases].map((c) => ({ ...c, sources: [...c.sources, controls.blocked, controls.allowed] }));
  const { answers, checked } = await run(family, loader, all, check ? cases.map((c) => c.text) : undefined);
  const [loading, refused] = answers;
  const wrong: string[] = [];
  if (!loading.loads) wrong.push(`the control file that must load was refused: ${loading.message}`);
  if (refused.loads) wrong.push('the control file that must not load was loaded');
  answers.forEach((answer, n) => {
    if (!answer.loads) return;
    const [blocked, allowed] = answer.blocked.slice(-2);
    if (!blocked) wrong.push(`file ${n - sentinels.length} let ${controls.blocked} through, the control that must be dropped`);
    if (allowed) wrong.push(`file ${n - sentinels.length} dropped ${controls.allowed}, the control that must pass`);
  });
  if (wrong.length > 0) throw new Error(`the oracle is broken: ${wrong.join('; ')}`);
  return { answers: answers.slice(sentinels.length).map((answer) => ({ ...answer, blocked: answer.blocked.slice(0, -2) })), check: checked };
}

/** The runs' lines: the check's, then a file's. */
interface CheckLine {
  check: boolean;
  message: string;
}

async function run(
  family: 4 | 6,
  loader: KernelLoader,
  cases: readonly KernelCase[],
  checked: readonly string[] | undefined,
): Promise<{ answers: KernelAnswer[]; checked: KernelCheck | undefined }> {
  const dir = await mkdtemp(join(tmpdir(), 'blocklist-iptables-'));
  try {
    const manifest = {
      family,
      loader,
      port: FIRST_PORT,
      check: checked ? 'checked.rules' : null,
      cases: cases.map((c, n) => ({ rules: `case${n}.rules`, sources: c.sources })),
    };
    await writeFile(join(dir, 'cases.json'), JSON.stringify(manifest));
    await Promise.all(cases.map((c, n) => writeFile(join(dir, `case${n}.rules`), c.text)));
    if (checked) await writeFile(join(dir, 'checked.rules'), checked.join(''));
    const stdout = await new Promise<string>((resolve, reject) => {
      const args = ['--net', '--pid', '--fork', '--kill-child', '--mount-proc', PYTHON, join(root, 'test/oracle/iptables_probe.py')];
      execFile('unshare', args, { cwd: dir, env: ENV, timeout: RUN_TIMEOUT_MS, killSignal: 'SIGKILL', maxBuffer: 1 << 26 }, (error, out, err) =>
        error ? reject(new Error(`the iptables probe failed (${error.killed ? `killed after ${RUN_TIMEOUT_MS / 1000} s` : `exit ${error.code}`}): ${err.trim()}`)) : resolve(out),
      );
    });
    const lines = stdout.split('\n').filter((line) => line !== '');
    const check = checked ? (JSON.parse(lines.shift()!) as CheckLine) : undefined;
    if (lines.length !== cases.length) throw new Error(`the iptables probe answered ${lines.length} of ${cases.length} files`);
    return {
      answers: lines.map((line) => JSON.parse(line) as KernelAnswer),
      checked: check && { ok: check.check, message: check.message, refused: check.check ? undefined : refusedFile(checked!, check.message) },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Which of the files run together the loader's message points at ("Error occurred at line: N", "line N failed"). */
function refusedFile(texts: readonly string[], message: string): number | undefined {
  const line = Number(/line:? (\d+)/.exec(message)?.[1] ?? Number.NaN);
  let first = 1;
  for (let n = 0; n < texts.length; n++) {
    const lines = texts[n].split('\n').length - 1;
    if (line >= first && line < first + lines) return n;
    first += lines;
  }
  return undefined;
}

/** Titles of the fixes that keep every decision (a merge joins adjacent elements of a set); any other title would say what it changes, and the test would have to check that. */
const KEEPING = /^(?:Remove |Write |Split |Merge )/;

/** Every text a fix of the product makes of `text` read as `format`: each fix offered on each entry, Fix all and Aggregate File; each must keep every decision. */
export function keepingFixes(format: Format, text: string): { name: string; text: string }[] {
  const document = parseDocument(text, format);
  const result = audit(document);
  const context = { index: EntryIndex.of(document.entries), facts: result.facts };
  const variants: { name: string; edits: readonly TextEdit[] }[] = [
    { name: 'Fix all', edits: fixAll(document, result.facts) },
    { name: 'Aggregate File', edits: aggregate(document) },
  ];
  for (let k = 0; k < document.entries.count; k++) {
    for (const fix of fixesForEntry(document, context, k, { maxEntries: 64, protected: [], target: [] })) {
      assert.match(fix.title, KEEPING, `a fix that says it changes decisions: ${fix.title}`);
      variants.push({ name: fix.title, edits: fix.edits });
    }
  }
  return variants.map(({ name, edits }) => ({ name, text: applyEdits(text, edits) })).filter((variant) => variant.text !== text);
}
