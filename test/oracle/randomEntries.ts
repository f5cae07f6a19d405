/**
 * Random entries for the differential tests, in both families: blocks of
 * 10.0.0.0/26 and of 2001:db8::/122, so that the first, last and
 * neighbouring addresses of every entry meet the others', written in the
 * spellings the tools accept; the planted controls lie apart, in
 * 192.0.2.0/24. Each test writes them in its format's syntax.
 */
import fc from 'fast-check';
import { formatIPv4 } from '../../server/src/core/addresses/ipv4';
import { formatIPv6 } from '../../server/src/core/addresses/ipv6';
import type { FixOptions } from '../../server/src/core/fixes/fixes';

export type Version = 4 | 6;

/** The random addresses of a family: 64 from its base; offset 64 is the neighbour past them. */
const BASE4 = 0x0a000000;
const BASE6 = 0x20010db8n << 96n;
const SPAN = 64;
const BITS = { 4: 32, 6: 128 } as const;

/** A CIDR block of the random addresses: offsets of its first and last, its prefix, and an offset inside it (for host bits). */
export interface Block {
  readonly version: Version;
  readonly lo: number;
  readonly hi: number;
  readonly prefix: number;
  readonly inside: number;
}

/** How an IPv6 address is spelled: as the kernel prints it, in capitals, all eight groups with their zeros, or the eight groups without. */
type Spelling = 'canonical' | 'capitals' | 'full' | 'groups';

export const spelling: fc.Arbitrary<Spelling> = fc.constantFrom<Spelling>('canonical', 'canonical', 'canonical', 'capitals', 'full', 'groups');

/** The address at `offset` of the random addresses of `version`. */
export function addressAt(version: Version, offset: number, spelled: Spelling = 'canonical'): string {
  if (version === 4) return formatIPv4(BASE4 + offset);
  const value = BASE6 + BigInt(offset);
  const groups = Array.from({ length: 8 }, (_, n) => Number((value >> BigInt(112 - 16 * n)) & 0xffffn).toString(16));
  if (spelled === 'full') return groups.map((group) => group.padStart(4, '0')).join(':');
  if (spelled === 'groups') return groups.join(':');
  const text = formatIPv6(value);
  return spelled === 'capitals' ? text.toUpperCase() : text;
}

/** A block with its prefix from /26 (/122) to a single address. */
export function block(version: Version): fc.Arbitrary<Block> {
  const bits = BITS[version];
  return fc.tuple(fc.nat(SPAN - 1), fc.integer({ min: bits - 6, max: bits })).map(([inside, prefix]) => {
    const size = 2 ** (bits - prefix);
    const lo = inside - (inside % size);
    return { version, lo, hi: lo + size - 1, prefix, inside };
  });
}

/** A block of either family. */
const anyBlock: fc.Arbitrary<Block> = fc.constantFrom<Version>(4, 6).chain(block);

/** `network/prefix` (an address alone for a single one, when `bare`), or with the bits past the prefix set as in `inside` when `hostBits`. */
export function cidrText(b: Block, options: { bare?: boolean; hostBits?: boolean; spelled?: Spelling } = {}): string {
  const single = b.prefix === BITS[b.version];
  const address = addressAt(b.version, options.hostBits && !single ? b.inside : b.lo, options.spelled);
  return single && options.bare ? address : `${address}/${b.prefix}`;
}

/** The planted controls: an address the file blocks and one it does not, of each family. */
export const CONTROL = { blocked: { 4: '192.0.2.1', 6: '2001:db8:ffff::1' }, allowed: { 4: '192.0.2.2', 6: '2001:db8:ffff::2' } } as const;
const CONTROL_NETWORKS = ['192.0.2.0/24', '2001:db8:ffff::/48'];

/** The first, last and neighbouring addresses of every block, within the random addresses and the one past them, ascending per family. */
export function probes(blocks: readonly Pick<Block, 'version' | 'lo' | 'hi'>[]): string[] {
  const offsets = { 4: new Set<number>(), 6: new Set<number>() };
  for (const { version, lo, hi } of blocks) for (const x of [lo - 1, lo, hi, hi + 1]) if (x >= 0 && x <= SPAN) offsets[version].add(x);
  return ([4, 6] as const).flatMap((version) => [...offsets[version]].sort((a, b) => a - b).map((x) => addressAt(version, x)));
}

/**
 * Fix options whose protected networks and target lie among the random
 * addresses, so that exclusions and narrowing are offered: one protected
 * block, and a target of a block of each family and of the controls (which
 * no fix may touch). Their blocks, for the probes.
 */
export const fixOptions: fc.Arbitrary<{ options: FixOptions; blocks: Block[] }> = fc.tuple(anyBlock, block(4), block(6)).map(([guarded, target4, target6]) => ({
  options: { maxEntries: 64, protected: [cidrText(guarded)], target: [cidrText(target4), cidrText(target6), ...CONTROL_NETWORKS] },
  blocks: [guarded, target4, target6],
}));

/** `# note`, now and then: the comment lines a file may hold anywhere. */
export const commentLine = fc.constantFrom('', '', '', '# blocked by hand\n', '#\n', '\n', '   \n');
