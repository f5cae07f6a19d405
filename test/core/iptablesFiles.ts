/**
 * Random small iptables-restore files, a brute-force reading of them
 * written straight from iptables(8), and the product's reading, for the
 * property test of iptablesProperty.test.ts and the kernel's differential
 * test (test/oracle/iptablesChains.test.ts).
 *
 * A file is a filter table: INPUT and FORWARD with random policies, user
 * chains A and B with random rules, and C, which logs and drops. Rules are
 * appended or inserted (`-I CHAIN [N]`), now and then deleted (`-D CHAIN
 * N`); they match a source in a block of 64 addresses (10.0.0.0/26, or
 * 2001:db8::/122), or no address, or also a port or a destination (which a
 * probe — TCP to a port of the loopback address — never matches; or, for
 * the kernel's test of the fixes, now and then `-p tcp`, which it does), and
 * drop, reject, accept, return, log, or jump or go to another chain. Two
 * controls come first in INPUT: 192.0.2.1 (2001:db8:ffff::1) is dropped,
 * 192.0.2.2 (2001:db8:ffff::2) accepted.
 */
import fc from 'fast-check';
import { parseIPv4 } from '../../server/src/core/addresses/ipv4';
import { parseIPv6 } from '../../server/src/core/addresses/ipv6';
import { audit } from '../../server/src/core/analysis/audit';
import { parseDocument } from '../../server/src/core/document/document';
import { iptables } from '../../server/src/core/formats/iptables';

export type Family = 4 | 6;

/** An address to ask about: an offset in the block, or a control. */
export type Probe = number | 'blocked' | 'allowed';

/** The first, last and neighbouring addresses of every block a file names, in the block and just past it, then the controls. */
export function probes(ranges: readonly (readonly [number, number])[]): Probe[] {
  const all = new Set<number>();
  for (const [lo, hi] of ranges) for (const x of [lo - 1, lo, hi, hi + 1]) if (x >= 0 && x <= 64) all.add(x);
  return [...[...all].sort((a, b) => a - b), 'blocked', 'allowed'];
}

/** A probe as an address of `family`. */
export function probeAddress(family: Family, probe: Probe): string {
  return typeof probe === 'number' ? address(family, probe) : CONTROLS[family][probe];
}

/** The controls of a file: an address INPUT must drop, and one it must accept. */
export const CONTROLS: Record<Family, { blocked: string; allowed: string }> = {
  4: { blocked: '192.0.2.1', allowed: '192.0.2.2' },
  6: { blocked: '2001:db8:ffff::1', allowed: '2001:db8:ffff::2' },
};

/** Address n (0…64) of the block the rules match in. */
export function address(family: Family, n: number): string {
  return family === 4 ? `10.0.0.${n}` : `2001:db8::${n.toString(16)}`;
}

/** A random file and the blocks of addresses its rules name (offsets in the block, [lo, hi]). */
export interface RandomFile {
  readonly text: string;
  readonly ranges: readonly (readonly [number, number])[];
  /** Whether a rule's condition is one the probes meet: the product then decides otherwise than the kernel (it keeps conditions out), but its fixes must not. */
  readonly probesMeetConditions: boolean;
}

const CHAINS = ['INPUT', 'INPUT', 'INPUT', 'A', 'A', 'B', 'FORWARD'] as const;
/** Jumps from each chain: C from anywhere, A and B from the built-in chains and from each other (a loop now and then). */
const JUMPS: Record<(typeof CHAINS)[number], readonly string[]> = { INPUT: ['A', 'B', 'C'], FORWARD: ['A', 'C'], A: ['B', 'C'], B: ['C', 'C', 'C', 'A'] };
const VERDICTS = ['DROP', 'DROP', 'REJECT', 'ACCEPT', 'ACCEPT', 'RETURN', 'LOG'];
/** Conditions a probe never meets: another protocol or port, or another destination. */
const CONDITIONS = ['-p udp --dport 53 ', '-p tcp --dport 22 ', '-d 10.9.9.9/32 ', '-d 2001:db8:9::9/128 '];
/** A condition every probe meets (it is TCP): a conditional RETURN then sends traffic back that the product's decisions keep out. */
const MET = '-p tcp ';

/** A block of 1 to 64 addresses inside the 64 the rules match in, as offsets and a prefix length of IPv4. */
export const block = fc.tuple(fc.nat(63), fc.integer({ min: 26, max: 32 })).map(([host, prefix]) => {
  const lo = host & ~((1 << (32 - prefix)) - 1) & 63;
  return { lo, hi: lo + 2 ** (32 - prefix) - 1, prefix };
});

const command = fc.record({
  chain: fc.constantFrom(...CHAINS),
  // 0: append; 1: insert at the top; 2: insert at a position; 3: delete by number.
  verb: fc.constantFrom(0, 0, 0, 0, 0, 1, 2, 3),
  position: fc.nat(4),
  source: fc.option(block, { freq: 5, nil: undefined }),
  // One rule in five matches on more than its source.
  condition: fc.nat(5 * CONDITIONS.length - 1),
  // With `met`, half the RETURNs are for TCP alone, as ufw's `-m addrtype … -j RETURN` returns only some traffic.
  tcpReturn: fc.boolean(),
  target: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...VERDICTS) }, { weight: 2, arbitrary: fc.tuple(fc.nat(3), fc.boolean()) }),
  // One rule in six says its family (`-4`, `-6`), which is no condition in a file of that family.
  familyFlag: fc.nat(5),
});

/** A random filter table in `family`; a few of them iptables-restore refuses (a loop, a position past the chain's end). With `met`, one condition in three is one the probes meet. */
export function restoreFile(family: Family, { met = false } = {}): fc.Arbitrary<RandomFile> {
  return fc
    .record({
      input: fc.constantFrom('ACCEPT', 'ACCEPT', 'DROP'),
      forward: fc.constantFrom('ACCEPT', 'DROP'),
      commands: fc.array(command, { maxLength: 9 }),
      notLocal: fc.boolean(),
    })
    .map(({ input, forward, commands, notLocal }) => {
      const lengths: Record<string, number> = { INPUT: 0, FORWARD: 0, A: 0, B: 0 };
      const lines: string[] = [];
      if (met && notLocal) {
        // ufw's shape: INPUT first jumps to a chain that returns some traffic (TCP here) and drops the rest.
        lines.push(`-A D ${MET}-j RETURN`, '-A D -j C', '-A INPUT -j D');
        lengths.INPUT++;
      }
      const ranges: [number, number][] = [];
      let probesMeetConditions = met && notLocal;
      for (const { chain, verb, position, source, condition, target, tcpReturn, familyFlag } of commands) {
        const conditioned = condition < CONDITIONS.length ? (met && condition % 3 === 0 ? MET : CONDITIONS[condition]) : '';
        const written = met && tcpReturn && target === 'RETURN' ? MET : conditioned;
        probesMeetConditions ||= written === MET;
        // A destination of the other family would be refused: none then.
        const conditionText = written.startsWith('-d') && written.includes(':') !== (family === 6) ? '' : written;
        const match = `${familyFlag === 0 ? `-${family} ` : ''}${conditionText}${source ? `-s ${cidr(family, source.lo, source.prefix)} ` : ''}`;
        const jumps = JUMPS[chain];
        const to = typeof target === 'string' ? `-j ${target}` : `-${target[1] ? 'g' : 'j'} ${jumps[target[0] % jumps.length]}`;
        // Positions run one past what the chain holds now and then: iptables-restore refuses those.
        if (verb === 3 && lengths[chain] > 0) {
          lines.push(`-D ${chain} ${1 + (position % (lengths[chain] + 1))}`);
          lengths[chain]--;
          continue;
        }
        if (source) ranges.push([source.lo, source.hi]);
        const at = verb === 1 ? '' : verb === 2 ? ` ${1 + (position % (lengths[chain] + 2))}` : undefined;
        lines.push(at === undefined ? `-A ${chain} ${match}${to}` : `-I ${chain}${at} ${match}${to}`);
        lengths[chain]++;
      }
      const control = (which: 'blocked' | 'allowed') => `${CONTROLS[family][which]}/${family === 4 ? 32 : 128}`;
      const text = [
        `# Generated by ${family === 6 ? 'ip6tables' : 'iptables'}-save`,
        '*filter',
        `:INPUT ${input} [0:0]`,
        `:FORWARD ${forward} [0:0]`,
        ':OUTPUT ACCEPT [0:0]',
        ':A - [0:0]',
        ':B - [0:0]',
        ':C - [0:0]',
        ...(met && notLocal ? [':D - [0:0]'] : []),
        '-A C -j LOG',
        '-A C -j DROP',
        ...lines,
        // Inserted last at the top, so no random rule comes before them.
        `-I INPUT -s ${control('allowed')} -j ACCEPT`,
        `-I INPUT -s ${control('blocked')} -j DROP`,
        'COMMIT',
        '',
      ].join('\n');
      return { text, ranges, probesMeetConditions };
    });
}

/** A block written as a CIDR of `family`. */
export function cidr(family: Family, lo: number, prefix: number): string {
  return family === 4 ? `${address(4, lo)}/${prefix}` : `${address(6, lo)}/${prefix + 96}`;
}

/** A rule as the brute-force reading keeps it. */
interface ModelRule {
  readonly lo: number;
  readonly hi: number;
  /** It matches on more than the source: no probe meets it. */
  readonly never: boolean;
  readonly target: string;
  readonly goto: boolean;
}

/** What the kernel would do with a file of `restoreFile`: whether it loads, and for each address (an offset in the block, or a control) whether INPUT drops it. */
export function bruteForce(text: string, addresses: readonly Probe[]): { loads: boolean; blocked: boolean[] } {
  const chains: Record<string, ModelRule[]> = { INPUT: [], FORWARD: [], OUTPUT: [], A: [], B: [], C: [] };
  const policies: Record<string, string> = {};
  let loads = true;
  // The rules an insert at a position went before: iptables-restore (nf_tables) inserts before that rule's handle, so deleting it in the same commit fails.
  const anchors = new Set<ModelRule>();
  for (const line of text.split('\n')) {
    const policy = /^:(\w+) (\w+|-) /.exec(line);
    if (policy) policies[policy[1]] = policy[2];
    const words = line.split(' ');
    if (words[0] === '-D') {
      const at = Number(words[2]);
      if (at > chains[words[1]].length) loads = false;
      if (anchors.has(chains[words[1]][at - 1])) loads = false;
      chains[words[1]].splice(at - 1, 1);
      continue;
    }
    if (words[0] !== '-A' && words[0] !== '-I') continue;
    const chain = words[1];
    const jump = /-([jg]) (\S+)/.exec(line)!;
    // A list of sources is a rule for each, in order; inserted, each goes to the same place.
    const sources = /-s (\S+)/.exec(line)?.[1].split(',') ?? [undefined];
    const rules = sources.map((source) => {
      const [lo, hi] = source === undefined ? [-Infinity, Infinity] : sourceRange(source);
      return { lo, hi, never: /-p |-d /.test(line), target: jump[2], goto: jump[1] === 'g' };
    });
    if (words[0] === '-A') chains[chain].push(...rules);
    else {
      const at = /^\d+$/.test(words[2]) ? Number(words[2]) : 1;
      if (at > chains[chain].length + 1) loads = false;
      if (at > 1 && at <= chains[chain].length) anchors.add(chains[chain][at - 1]);
      chains[chain].splice(at - 1, 0, ...rules.reverse());
    }
  }
  const builtin = (chain: string) => chain === 'INPUT' || chain === 'FORWARD' || chain === 'OUTPUT';
  // The kernel refuses a loop a built-in chain reaches, whatever the rules' matches.
  const loops = (chain: string, path: string[]): boolean =>
    path.includes(chain) || chains[chain].some((rule) => chains[rule.target] !== undefined && loops(rule.target, [...path, chain]));
  if (['INPUT', 'FORWARD', 'OUTPUT'].some((chain) => loops(chain, []))) loads = false;
  const run = (chain: string, x: number): string => {
    for (const rule of chains[chain]) {
      if (rule.never || x < rule.lo || x > rule.hi || rule.target === 'LOG') continue;
      if (rule.target === 'DROP' || rule.target === 'REJECT') return 'drop';
      if (rule.target === 'ACCEPT') return 'accept';
      if (rule.target === 'RETURN') return builtin(chain) ? policies[chain].toLowerCase() : 'return';
      const outcome = run(rule.target, x);
      if (outcome !== 'return' || rule.goto) return outcome === 'return' && builtin(chain) ? policies[chain].toLowerCase() : outcome;
    }
    return builtin(chain) ? policies[chain].toLowerCase() : 'return';
  };
  const offset = (a: number | 'blocked' | 'allowed') => (typeof a === 'number' ? a : CONTROL_OFFSETS[a]);
  return { loads, blocked: addresses.map((a) => loads && run('INPUT', offset(a)) === 'drop') };
}

/** The controls as offsets outside the block (192.0.2.1 and .2 lie far from 10.0.0.0/26). */
const CONTROL_OFFSETS = { blocked: 1_000_001, allowed: 1_000_002 };

/** A source (`10.0.0.8/29`, `2001:db8::8`) as offsets in the block; the controls at their own offsets. */
function sourceRange(source: string): [number, number] {
  const [text, prefix] = source.split('/');
  if (text === '192.0.2.1' || text === '2001:db8:ffff::1') return [CONTROL_OFFSETS.blocked, CONTROL_OFFSETS.blocked];
  if (text === '192.0.2.2' || text === '2001:db8:ffff::2') return [CONTROL_OFFSETS.allowed, CONTROL_OFFSETS.allowed];
  const six = text.includes(':');
  const lo = six ? parseInt(text.split('::')[1] || '0', 16) : Number(text.split('.')[3]);
  const hostBits = (six ? 128 : 32) - (prefix === undefined ? (six ? 128 : 32) : Number(prefix));
  return [lo, lo + 2 ** hostBits - 1];
}

/** Whether the product says iptables-restore refuses `text`, and what filter/INPUT blocks of `addresses`. */
export function productReading(text: string, family: Family, addresses: readonly Probe[]): { refused: boolean; blocked: boolean[] } {
  const document = parseDocument(text, iptables);
  const result = audit(document);
  const input = document.scopes.findIndex((scope) => scope.name === 'filter/INPUT');
  const set = result.facts.scopeSets.find((s) => s.scope === input);
  const blocked = addresses.map((probe) => {
    const written = probeAddress(family, probe);
    return family === 4 ? (set?.blocked4.has(parseIPv4(written, 0, written.length, [])) ?? false) : (set?.blocked6.has(parseIPv6(written, 0, written.length, [])!) ?? false);
  });
  return { refused: result.findings.some((finding) => finding.code === 'loader-rejects'), blocked };
}
