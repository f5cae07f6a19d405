/**
 * Differential property tests of hosts.deny and Apache against the programs
 * themselves (issue 9): random files with daemon lists, `ALL` lines, EXCEPT
 * lists and granting rules for tcpdmatch; random 2.4 `<RequireAll>` bodies
 * with `Require ip` beside them, and 2.2 `Order`/`Deny`/`Allow` bodies, for
 * Apache. For the first, last and neighbouring addresses of every entry, the
 * product's decision (each daemon's scope; the file's scope for Apache)
 * equals the program's. Then Fix all is applied, the program reads the
 * result, and every one of those decisions stays as it was.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { formatIPv4 } from '../../server/src/core/addresses/ipv4';
import { audit } from '../../server/src/core/analysis/audit';
import { parseDocument } from '../../server/src/core/document/document';
import { fixAll } from '../../server/src/core/fixes/fixes';
import { applyEdits } from '../../server/src/core/fixes/rewrite';
import type { FormatId } from '../../server/src/core/formats/format';
import { formatById } from '../../server/src/core/formats/registry';
import { apacheDecisions, requireOracle, tcpdDecisions, type TcpdQuery } from './firewalls';

/** How many random files each oracle checks (tcpdmatch takes about 10 ms a query, Apache about 0.2 s a start). */
const RUNS = { tcpd: 40, apache24: 30, apache22: 30 };

/** The random entries lie in 10.0.0.0/26, written as net/len or net/mask; the planted controls in 192.0.2.0/24. */
const BASE = 0x0a000000;
const cidr = fc.tuple(fc.nat(63), fc.integer({ min: 26, max: 32 }), fc.boolean()).map(([host, prefix, netmask]) => {
  const lo = host & ~((1 << (32 - prefix)) - 1) & 63;
  return { lo, hi: lo + 2 ** (32 - prefix) - 1, text: `${formatIPv4(BASE + lo)}/${netmask ? formatIPv4((0xffffffff << (32 - prefix)) >>> 0) : prefix}` };
});
const list = (min: number, max: number) => fc.array(cidr, { minLength: min, maxLength: max });
const written = (ranges: { text: string }[], separator = ' ') => ranges.map((range) => range.text).join(separator);

interface RandomFile {
  readonly text: string;
  readonly ranges: { lo: number; hi: number }[];
}

/** The first, last and neighbouring addresses of every random entry, in 10.0.0.0/26 and just past it. */
function probes(ranges: readonly { lo: number; hi: number }[]): number[] {
  const all = new Set<number>();
  for (const { lo, hi } of ranges) for (const x of [lo - 1, lo, hi, hi + 1]) if (x >= 0 && x <= 64) all.add(BASE + x);
  return [...all].sort((a, b) => a - b);
}

function read(format: FormatId, text: string) {
  const document = parseDocument(text, formatById(format)!);
  return { document, facts: audit(document).facts };
}

function fixedAll(format: FormatId, text: string): string {
  const { document, facts } = read(format, text);
  return applyEdits(text, fixAll(document, facts));
}

/**
 * A property over random files: the product's decisions equal the program's
 * (`product` may leave a query undefined: nothing to compare), and after Fix
 * all the program decides as before. The program is asked again only when
 * Fix all changed the text (a list that loses its last item takes its rule
 * or directive with it: `sshd: ` or `Require not ip ` would be rejected).
 */
async function differential<Q>(
  tool: 'tcpd' | 'apache',
  runs: number,
  format: FormatId,
  file: fc.Arbitrary<RandomFile & { queries: (addresses: number[]) => Q[] }>,
  ask: (text: string, queries: Q[]) => Promise<boolean[]>,
  product: (text: string, queries: Q[]) => (boolean | undefined)[],
): Promise<void> {
  requireOracle(tool);
  await fc.assert(
    fc.asyncProperty(file, async ({ text, ranges, queries: queriesOf }) => {
      const queries = queriesOf(probes(ranges));
      const real = await ask(text, queries);
      const ours = product(text, queries);
      assert.deepEqual(
        ours.map((decision, n) => decision ?? real[n]),
        real,
        `the product disagrees with ${tool} on\n${text}`,
      );
      const after = fixedAll(format, text);
      if (after !== text) assert.deepEqual(await ask(after, queries), real, `Fix all changed what ${tool} decides:\n${text}\n→\n${after}`);
    }),
    { numRuns: runs },
  );
}

/** A hosts.deny rule for ALL, sshd or vsftpd (or both, or all but vsftpd), with exceptions, sometimes granting (`: allow`). */
const hostsDenyRule = fc
  .tuple(fc.constantFrom('ALL', 'ALL', 'sshd', 'sshd', 'vsftpd', 'sshd, vsftpd', 'ALL EXCEPT vsftpd'), list(1, 2), list(0, 2), fc.constantFrom('', '', '', '', ' : allow'))
  .map(([daemons, clients, exceptions, options]) => ({
    ranges: [...clients, ...exceptions],
    text: `${daemons}: ${written(clients, ', ')}${exceptions.length > 0 ? ` EXCEPT ${written(exceptions)}` : ''}${options}`,
  }));

/** The daemons asked: sshd, vsftpd and a daemon no line names (ALL's rules only). */
const DAEMONS = ['sshd', 'vsftpd', 'ftpd'];

/** What the product says each daemon is denied: its own scope, else, for a daemon no line names, the ALL scope; undefined when it keeps no set of its own. */
function hostsDenyProduct(text: string, queries: TcpdQuery[]): (boolean | undefined)[] {
  const { document, facts } = read('hosts-deny', text);
  return queries.map(({ daemon, address }) => {
    const named = document.scopeFacts.some((fact) => fact.scope === daemon);
    const scope = document.scopes.findIndex((s) => s.name === (named ? daemon : 'ALL'));
    if (named && scope < 0) return undefined;
    return facts.scopeSets.find((s) => s.scope === scope)?.blocked4.has(ipv4(address)) ?? false;
  });
}

function ipv4(text: string): number {
  return text.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
}

test('hosts.deny: each daemon is denied what tcpdmatch denies it, and still after Fix all', { timeout: 180_000 }, async () => {
  // The blocked control is planted on a daemon no random line names; nothing random reaches 192.0.2.0/24.
  const controls = { blocked: { daemon: 'in.telnetd', address: '192.0.2.1' }, allowed: { daemon: 'sshd', address: '192.0.2.2' } };
  const file = fc.array(hostsDenyRule, { minLength: 1, maxLength: 4 }).map((rules) => ({
    text: `in.telnetd: 192.0.2.1\n${rules.map((rule) => `${rule.text}\n`).join('')}`,
    ranges: rules.flatMap((rule) => rule.ranges),
    // About 50 queries: every probe for sshd, and each probe for one of the other two daemons in turn.
    queries: (addresses: number[]) => addresses.flatMap((address, n) => [DAEMONS[0], DAEMONS[1 + (n % 2)]].map((daemon) => ({ daemon, address: formatIPv4(address) }))),
  }));
  await differential('tcpd', RUNS.tcpd, 'hosts-deny', file, (text, queries) => tcpdDecisions('', text, queries, controls), hostsDenyProduct);
});

/** What the product says the file's scope blocks, per address. */
function apacheProduct(text: string, addresses: string[]): boolean[] {
  const { document, facts } = read('apache', text);
  const set = facts.scopeSets.find((s) => document.scopes[s.scope].name === '')?.blocked4;
  return addresses.map((address) => set?.has(ipv4(address)) ?? false);
}

const apacheControls = { blocked: '192.0.2.1', allowed: '192.0.2.2' };
const asked = (addresses: number[]) => addresses.map(formatIPv4);

test('Apache 2.4: a <RequireAll> of Require not ip, less the Require ip beside it, as Apache decides, and still after Fix all', { timeout: 180_000 }, async () => {
  const file = fc.tuple(fc.array(list(1, 2), { minLength: 1, maxLength: 3 }), fc.array(list(1, 2), { maxLength: 2 }), fc.boolean()).map(([blocks, grants, after]) => {
    const requireAll = `<RequireAll>\n  Require all granted\n  Require not ip 192.0.2.1\n${blocks.map((line) => `  Require not ip ${written(line)}\n`).join('')}</RequireAll>\n`;
    const beside = grants.map((line) => `Require ip ${written(line)}\n`).join('');
    return { text: after ? requireAll + beside : beside + requireAll, ranges: [...blocks.flat(), ...grants.flat()], queries: asked };
  });
  await differential('apache', RUNS.apache24, 'apache', file, (text, addresses) => apacheDecisions(text, addresses, apacheControls), apacheProduct);
});

test('Apache 2.2: Order Deny,Allow (and Allow,Deny) with Deny and Allow lines in any order, as Apache decides, and still after Fix all', { timeout: 180_000 }, async () => {
  const line = fc.tuple(fc.constantFrom('Deny', 'Deny', 'Allow'), list(1, 2)).map(([verb, ranges]) => ({ ranges, text: `${verb} from ${written(ranges)}\n` }));
  const file = fc
    .tuple(fc.constantFrom('', 'Order Deny,Allow\n', 'Order Deny,Allow\n', 'Order Allow,Deny\n'), fc.array(line, { minLength: 1, maxLength: 5 }))
    .map(([order, lines]) => ({
      text: `${order}Deny from 192.0.2.1\nAllow from 192.0.2.2\n${lines.map((l) => l.text).join('')}`,
      ranges: lines.flatMap((l) => l.ranges),
      queries: asked,
    }));
  await differential('apache', RUNS.apache22, 'apache', file, (text, addresses) => apacheDecisions(text, addresses, apacheControls), apacheProduct);
});
