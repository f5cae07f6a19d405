/**
 * Address counts as float64 limbs of 32 bits, most significant first, so
 * that the ASN index sums them exactly without bigints (an IPv6 bigint
 * addition costs about forty float ones). One limb holds an IPv4 count:
 * at most 2^32, and the index's ranges are disjoint, so any sum of them is
 * too. An IPv6 count takes four limbs, each below 2^32, so sums of up to
 * 2^21 counts stay below 2^53 limb by limb, exact without carrying.
 */
export type Limbs = 1 | 4;

const LIMB = 2 ** 32;

/** Carries `values[at, at + limbs)` so that every limb but the first is below 2^32: equal counts then have equal limbs. */
export function carry(values: Float64Array, at: number, limbs: Limbs): void {
  for (let j = at + limbs - 1; j > at; j--) {
    const over = Math.floor(values[j] / LIMB);
    values[j] -= over * LIMB;
    values[j - 1] += over;
  }
}

/** Compares two carried counts: negative when the first is smaller, 0 when equal. */
export function compareLimbs(a: Float64Array, at: number, b: Float64Array, bt: number, limbs: Limbs): number {
  for (let j = 0; j < limbs; j++) {
    const difference = a[at + j] - b[bt + j];
    if (difference !== 0) return difference;
  }
  return 0;
}

/** The count in `values[at, at + limbs)`, carried or not. */
export function limbsToBigInt(values: Float64Array, at: number, limbs: Limbs): bigint {
  if (limbs === 1) return BigInt(values[at]);
  let x = 0n;
  for (let j = 0; j < limbs; j++) x = (x << 32n) + BigInt(values[at + j]);
  return x;
}

/** Writes `x` (at most 2^128) into `out[at, at + limbs)`, carried; the first limb takes what is left. */
export function bigIntToLimbs(x: bigint, out: Float64Array, at: number, limbs: Limbs): void {
  for (let j = at + limbs - 1; j > at; j--) {
    out[j] = Number(x & 0xffffffffn);
    x >>= 32n;
  }
  out[at] = Number(x);
}
