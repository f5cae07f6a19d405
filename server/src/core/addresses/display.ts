/** How numbers, addresses and shares are written in messages and hovers. */
import { formatIPv4 } from './ipv4';
import { formatIPv6 } from './ipv6';
import { formatCount } from '../primitives/formatCount';

export function formatAddress(version: number, address: bigint): string {
  return version === 4 ? formatIPv4(Number(address)) : formatIPv6(address);
}

/**
 * An address count as people read it: IPv4 exact, with separators
 * ("1,048,576 addresses"); IPv6 exact up to 2^32, past that in /48s or /64s
 * when it is a whole number of them ("2^80 addresses (16,777,216 /48s)",
 * "3 /64s"), else as a power of two ("about 2^70.3 addresses"). The exact
 * integer stays in hovers' details and in JSON, SARIF and CSV.
 */
export function formatAddresses(version: 4 | 6, count: bigint): string {
  const exact = `${formatCount(count)} ${count === 1n ? 'address' : 'addresses'}`;
  if (version === 4 || count < 1n << 32n) return exact;
  const bits = count.toString(2).length - 1;
  const power = count === 1n << BigInt(bits);
  for (const [prefix, size] of [
    [48, 80n],
    [64, 64n],
  ] as const) {
    if (count < 1n << size || count % (1n << size) !== 0n) continue;
    const networks = `${formatCount(count >> size)} /${prefix}${count >> size === 1n ? '' : 's'}`;
    return power ? `2^${bits} addresses (${networks})` : networks;
  }
  return power ? `2^${bits} addresses` : `about 2^${Number(log2(count).toFixed(1))} addresses`;
}

/**
 * A count in a list of owners, a table or an inline hint, where the unit is
 * clear from what it follows: bare up to 2^32 ("901,120"); past that, IPv6
 * in whole /48s or /64s when it is ("1 /48", "3 /64s"), else as
 * formatAddresses writes it.
 */
export function formatAmount(version: 4 | 6, count: bigint): string {
  if (version === 4 || count < 1n << 32n) return formatCount(count);
  for (const [prefix, size] of [
    [48, 80n],
    [64, 64n],
  ] as const) {
    if (count >= 1n << size && count % (1n << size) === 0n) return `${formatCount(count >> size)} /${prefix}${count >> size === 1n ? '' : 's'}`;
  }
  return formatAddresses(version, count);
}

/** part / whole as a percentage with three significant digits (86.0 %, 1.56 %, 0.0244 %), "< 0.001 %" below that and "> 99.9 %" short of all. */
export function formatPercent(part: bigint, whole: bigint): string {
  if (part === 0n) return '0 %';
  if (part === whole) return '100 %';
  return percentText(Number((part * 10n ** 12n) / whole) / 1e10);
}

/** A percentage that is neither 0 nor 100, as formatPercent writes it; rounding never claims all or none. */
function percentText(percent: number): string {
  if (percent < 0.001) return '< 0.001 %';
  return percent >= 99.95 ? '> 99.9 %' : `${percent.toPrecision(3)} %`;
}

/** log2 of a bigint, to a double's precision. */
function log2(count: bigint): number {
  const shift = Math.max(0, count.toString(2).length - 53);
  return Math.log2(Number(count >> BigInt(shift))) + shift;
}

/** count / 2^bits as a double, exact enough to print. */
export function fraction(count: bigint, bits: number): number {
  // Scale to 53 significant bits before leaving bigint arithmetic.
  const shift = Math.max(0, count.toString(2).length - 53);
  return Number(count >> BigInt(shift)) * 2 ** (shift - bits);
}

/** A share (0…1, a fraction of the address space) as formatPercent writes a percentage. */
export function formatShare(share: number): string {
  return share === 0 ? '0 %' : share === 1 ? '100 %' : percentText(share * 100);
}
