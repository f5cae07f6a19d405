/** How numbers, addresses and shares are written in messages and hovers. */
import { formatIPv4 } from './ipv4';
import { formatIPv6 } from './ipv6';

export function formatAddress(version: number, address: bigint): string {
  return version === 4 ? formatIPv4(Number(address)) : formatIPv6(address);
}

/** 1,048,576 (thousands separators, exact for any size). */
export function formatCount(count: bigint): string {
  return count.toLocaleString('en-US');
}

/** ` (2^n)` for IPv6-sized powers of two, whose digits alone are hard to read; else empty. */
export function powerOfTwo(count: bigint): string {
  if (count < 1n << 64n || (count & (count - 1n)) !== 0n) return '';
  return ` (2^${count.toString(2).length - 1})`;
}

/** count / 2^bits as a double, exact enough to print. */
export function fraction(count: bigint, bits: number): number {
  // Scale to 53 significant bits before leaving bigint arithmetic.
  const shift = Math.max(0, count.toString(2).length - 53);
  return Number(count >> BigInt(shift)) * 2 ** (shift - bits);
}

/** A percentage with four significant digits, and a plain "less than" for the very small. */
export function formatShare(share: number): string {
  if (share === 0) return '0 %';
  const percent = share * 100;
  if (percent < 1e-6) return '< 0.000001 %';
  return `${Number(percent.toPrecision(4)).toLocaleString('en-US', { maximumFractionDigits: 8 })} %`;
}
