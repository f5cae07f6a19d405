/** Splitting a CIDR block into equal smaller blocks. */
import type { Family } from './family';

/**
 * The blocks of prefix `into` that make up network/prefix, ascending:
 * `into = prefix + 1` gives the two halves. Throws on an `into` outside
 * (prefix, bits] or a split into more than `limit` blocks.
 */
export function splitCidr<A extends number | bigint>(family: Family<A>, network: A, prefix: number, into: number, limit = 65536): A[] {
  if (!Number.isInteger(into) || into <= prefix || into > family.bits) {
    throw new RangeError(`Cannot split a /${prefix} into /${into} blocks: choose a prefix from /${prefix + 1} to /${family.bits}.`);
  }
  if (into - prefix > Math.log2(limit)) {
    throw new RangeError(`Splitting a /${prefix} into /${into} blocks gives ${2n ** BigInt(into - prefix)} blocks, more than ${limit}.`);
  }
  const blocks: A[] = [];
  const last = family.lastOfBlock(network, family.bits - prefix);
  for (let block = network; block <= last; block = family.next(family.lastOfBlock(block, family.bits - into))) blocks.push(block);
  return blocks;
}
