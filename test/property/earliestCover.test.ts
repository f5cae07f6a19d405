/**
 * EarliestCover against a brute-force model: random ranges at random
 * positions inside a 48-address window at the bottom and the very top of
 * each family's space (so that the cut past the last address shows), asked
 * about random ranges and positions.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { EarliestCover } from '../../server/src/core/addresses/earliestCover';
import { IPV4, IPV6, type Family } from '../../server/src/core/addresses/family';

const WINDOW = 48;

const pair = fc.tuple(fc.nat(WINDOW - 1), fc.nat(WINDOW - 1)).map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const);
const ranges = fc.array(fc.record({ span: pair, position: fc.nat(20) }), { maxLength: 12 });
const questions = fc.array(fc.record({ span: pair, before: fc.nat(22) }), { minLength: 1, maxLength: 12 });

function check<A extends number | bigint>(family: Family<A>, at: (offset: number) => A): void {
  fc.assert(
    fc.property(ranges, questions, (placed, asked) => {
      const cover = new EarliestCover(
        family,
        placed.map(({ span: [lo, hi], position }) => ({ lo: at(lo), hi: at(hi), position })),
      );
      for (const { span, before } of asked) {
        const expected = placed.some(({ span: [lo, hi], position }) => position < before && lo <= span[1] && span[0] <= hi);
        assert.equal(cover.holdsBefore(at(span[0]), at(span[1]), before), expected, `${JSON.stringify({ placed, span, before })}`);
      }
    }),
    { numRuns: 400 },
  );
}

test('EarliestCover: whether a range placed before holds an address of a range, as brute force says, at both ends of IPv4', () => {
  check(IPV4, (offset) => offset);
  check(IPV4, (offset) => IPV4.max - WINDOW + 1 + offset);
});

test('EarliestCover: the same in IPv6, at both ends', () => {
  check(IPV6, (offset) => BigInt(offset));
  check(IPV6, (offset) => IPV6.max - BigInt(WINDOW - 1) + BigInt(offset));
});
