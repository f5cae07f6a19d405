/**
 * The independent tools the tests compare against: FireHOL iprange (IPv4)
 * and Python netaddr (IPv4 and IPv6), from Debian's packages, and the real
 * lists of ../shared/corpus.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const root = resolve(__dirname, '..', '..', '..');
export const corpus = process.env.BLOCKLIST_CORPUS ?? resolve(root, '..', 'shared', 'corpus');
const PYTHON = '/usr/bin/python3';
const INSTALL = 'Install the reference tools: apt-get install -y iprange python3-netaddr (scripts/setup.sh does it).';

function run(command: string, args: string[], input?: string): string {
  const result = spawnSync(command, args, { input, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (result.error) throw new Error(`${command} could not run (${result.error.message}). ${INSTALL}`);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  return result.stdout;
}

/**
 * iprange with no network: it resolves anything it cannot read as a
 * hostname, so it runs in an empty network namespace (see ORACLES.md).
 */
export function iprange(args: string[]): string {
  return run('unshare', ['-n', 'iprange', ...args]);
}

/** iprange prints a /32 as a bare address; ours always has the prefix. */
export function withPrefixes(cidrs: string): string {
  return cidrs.replace(/^([^/\n]+)$/gm, '$1/32');
}

/** netaddr's size and CIDRs (or ranges) of the union of `files`. */
export function netaddr(files: string[], ranges = false): { size: bigint; lines: string } {
  const out = run(PYTHON, [join(root, 'test/oracle/netaddr_set.py'), ...(ranges ? ['--ranges'] : []), ...files]);
  const newline = out.indexOf('\n');
  return { size: BigInt(out.slice(0, newline)), lines: out.slice(newline + 1) };
}

const IPV6_FILES = ['cloud/lordalfred_all_ipv6_merged.txt', 'cloud/cloudflare_ips-v6.txt', 'cloud/lordalfred_microsoft_ipv6.txt', 'misc/spamhaus_drop_ipv6_secops_2024.txt'];
const MIXED_FILES = ['cloud/telegram_cidr.txt', 'cloud/disposable_microsoft-azure.txt'];

/** Whether every entry line of a file is a clean IPv4 address or CIDR (what iprange reads reliably). */
function isCleanIPv4(file: string): boolean {
  return readFileSync(file, 'utf8')
    .split('\n')
    .every((line) => {
      const token = line.trim();
      return (
        token === '' ||
        token.startsWith('#') ||
        token.startsWith(';') ||
        /^(?:(?:[1-9]?\d|1\d\d|2[0-4]\d|25[0-5])\.){3}(?:[1-9]?\d|1\d\d|2[0-4]\d|25[0-5])(?:\/\d{1,2})?(?:\s.*)?$/.test(token)
      );
    });
}

/** Every plain IPv4 list of the corpus, found by looking at the files rather than by a fixed list. */
export function ipv4Lists(): string[] {
  if (!existsSync(corpus)) throw new Error(`The corpus is missing at ${corpus}: set BLOCKLIST_CORPUS.`);
  const candidates = ['firehol', 'rkn', 'cloud', 'misc'].flatMap((dir) =>
    readdirSync(join(corpus, dir))
      .filter((name) => /\.(netset|ipset|lst|txt)$/.test(name))
      .map((name) => join(corpus, dir, name)),
  );
  return candidates.filter(isCleanIPv4).sort();
}

export function ipv6Lists(): string[] {
  return [...IPV6_FILES, ...MIXED_FILES].map((file) => join(corpus, file));
}
