/**
 * The two address families as values, so that set algebra and CIDR
 * arithmetic are written once. IPv4 addresses are plain numbers kept in
 * typed arrays; IPv6 addresses are bigints.
 */
import { formatIPv4 } from './ipv4';
import { formatIPv6 } from './ipv6';
import { radixSortUint32 } from '../primitives/radixSort';

/** Growable storage for addresses of one family. */
export interface AddressArray<A> {
  readonly length: number;
  [index: number]: A;
}

export interface Family<A extends number | bigint> {
  readonly version: 4 | 6;
  readonly bits: 32 | 128;
  readonly zero: A;
  readonly max: A;
  /** x + 1 and x - 1; both are unbounded, so next(max) is 2^bits and compares greater than any address. */
  next(x: A): A;
  previous(x: A): A;
  /** hi - lo + 1, exactly. */
  count(lo: A, hi: A): bigint;
  /** x + 2^hostBits - 1: the last address of the aligned block starting at x. */
  lastOfBlock(x: A, hostBits: number): A;
  /** The largest k such that `x` is a multiple of 2^k (bits for x = 0). */
  trailingZeros(x: A): number;
  /** floor(log2(hi - lo + 1)). */
  log2Span(lo: A, hi: A): number;
  /** The first address of the /prefix network holding `x`. */
  network(x: A, prefix: number): A;
  allocate(length: number): AddressArray<A>;
  /** A copy of `array` with room for `capacity` addresses (its first `capacity` when it holds more). */
  resize(array: AddressArray<A>, capacity: number): AddressArray<A>;
  /** Sorts `array[0, length)` ascending, in place. */
  sort(array: AddressArray<A>, length: number): void;
  format(x: A): string;
}

const TWO_32 = 2 ** 32;

/** Up to this many IPv4 addresses are kept in a plain array (see IPV4.allocate). */
const SMALL_IPV4 = 16;

/** Sorts `array[0, length)` ascending, in place: for the few values of a plain array. */
function insertionSort(array: AddressArray<number>, length: number): void {
  for (let k = 1; k < length; k++) {
    const value = array[k];
    let m = k;
    for (; m > 0 && array[m - 1] > value; m--) array[m] = array[m - 1];
    array[m] = value;
  }
}

export const IPV4: Family<number> = {
  version: 4,
  bits: 32,
  zero: 0,
  max: TWO_32 - 1,
  next: (x) => x + 1,
  previous: (x) => x - 1,
  count: (lo, hi) => BigInt(hi - lo + 1),
  lastOfBlock: (x, hostBits) => x + 2 ** hostBits - 1,
  trailingZeros: (x) => (x === 0 ? 32 : 31 - Math.clz32(x & -x)),
  log2Span: (lo, hi) => {
    const span = hi - lo + 1;
    return span === TWO_32 ? 32 : 31 - Math.clz32(span);
  },
  network: (x, prefix) => (prefix === 0 ? 0 : x - (x % 2 ** (32 - prefix))),
  // A typed array costs a buffer of its own, and a file of a scope per line makes two sets per scope: small ones are plain arrays.
  // oxlint-disable-next-line unicorn/no-new-array
  allocate: (length) => (length > SMALL_IPV4 ? new Uint32Array(length) : new Array<number>(length).fill(0)),
  resize: (array, capacity) => {
    const resized = IPV4.allocate(capacity);
    const kept = array instanceof Uint32Array && array.length > capacity ? array.subarray(0, capacity) : array;
    // A typed array copies natively (the columns of a million-entry list grow so); a small plain one by hand.
    if (resized instanceof Uint32Array) resized.set(kept as ArrayLike<number>);
    else for (let k = 0; k < Math.min(kept.length, capacity); k++) resized[k] = kept[k];
    return resized;
  },
  sort: (array, length) => {
    if (array instanceof Uint32Array) radixSortUint32(length === array.length ? array : array.subarray(0, length));
    else insertionSort(array, length);
  },
  format: formatIPv4,
};

const TWO_128 = 1n << 128n;

export const IPV6: Family<bigint> = {
  version: 6,
  bits: 128,
  zero: 0n,
  max: TWO_128 - 1n,
  next: (x) => x + 1n,
  previous: (x) => x - 1n,
  count: (lo, hi) => hi - lo + 1n,
  lastOfBlock: (x, hostBits) => x + (1n << BigInt(hostBits)) - 1n,
  trailingZeros: (x) => {
    if (x === 0n) return 128;
    let bits = 0;
    while ((x & 0xffffffffn) === 0n) {
      x >>= 32n;
      bits += 32;
    }
    return bits + IPV4.trailingZeros(Number(x & 0xffffffffn));
  },
  log2Span: (lo, hi) => (hi - lo + 1n).toString(2).length - 1,
  network: (x, prefix) => (x >> BigInt(128 - prefix)) << BigInt(128 - prefix),
  // A preallocated array its caller fills at once: Array.from would write every slot twice.
  // oxlint-disable-next-line unicorn/no-new-array
  allocate: (length) => new Array<bigint>(length),
  resize: (array, capacity) => {
    const resized = (array as bigint[]).slice();
    resized.length = capacity;
    return resized;
  },
  sort: (array, length) => {
    const sorted = Array.prototype.slice.call(array, 0, length) as bigint[];
    sorted.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (let k = 0; k < length; k++) array[k] = sorted[k];
  },
  format: formatIPv6,
};
