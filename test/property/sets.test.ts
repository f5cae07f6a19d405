/**
 * Every set operation against a brute-force model: small random sets inside
 * a 64-address window, placed at the bottom, the middle and the very top of
 * each family's space, so that overflow at 0 and at the maximum shows.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { AddressSet, IntervalBuilder, IPV4, IPV6, splitCidr, type Family } from '../../server/src/core';
import { forEachCidrOfRange } from '../../server/src/core/addresses/addressSet';
import { unionOf } from '../../server/src/core/addresses/intervalBuilder';
import { radixSortIndices, radixSortUint32 } from '../../server/src/core/primitives/radixSort';

const WINDOW = 64;

interface Universe<A extends number | bigint> {
  readonly family: Family<A>;
  readonly base: A;
  readonly at: (offset: number) => A;
  readonly offsetOf: (address: A) => number;
}

function universe<A extends number | bigint>(family: Family<A>, base: A, add: (a: A, n: number) => A, sub: (a: A, b: A) => number): Universe<A> {
  return { family, base, at: (offset) => add(base, offset), offsetOf: (address) => sub(address, base) };
}

const universes = [
  universe(
    IPV4,
    0,
    (a, n) => a + n,
    (a, b) => a - b,
  ),
  universe(
    IPV4,
    0x0a000000 - 32,
    (a, n) => a + n,
    (a, b) => a - b,
  ),
  universe(
    IPV4,
    2 ** 32 - WINDOW,
    (a, n) => a + n,
    (a, b) => a - b,
  ),
  universe(
    IPV6,
    0n,
    (a, n) => a + BigInt(n),
    (a, b) => Number(a - b),
  ),
  universe(
    IPV6,
    (1n << 64n) - 32n,
    (a, n) => a + BigInt(n),
    (a, b) => Number(a - b),
  ),
  universe(
    IPV6,
    (1n << 128n) - BigInt(WINDOW),
    (a, n) => a + BigInt(n),
    (a, b) => Number(a - b),
  ),
] as Universe<number | bigint>[];

/** Random intervals inside the window, as offsets. */
const intervals = fc.array(
  fc.tuple(fc.nat(WINDOW - 1), fc.nat(WINDOW - 1)).map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const),
  { maxLength: 8 },
);

/** The model: which of the window's addresses are in the set. */
function model(list: readonly (readonly [number, number])[]): boolean[] {
  const member = Array.from({ length: WINDOW }, () => false);
  for (const [lo, hi] of list) for (let x = lo; x <= hi; x++) member[x] = true;
  return member;
}

function build<A extends number | bigint>(u: Universe<A>, list: readonly (readonly [number, number])[]): AddressSet<A> {
  const builder = new IntervalBuilder(u.family, 2);
  for (const [lo, hi] of list) builder.add(u.at(lo), u.at(hi));
  return builder.build();
}

/** The set as the model sees it, checking that it stays inside the window. */
function members<A extends number | bigint>(u: Universe<A>, set: AddressSet<A>): boolean[] {
  const member = Array.from({ length: WINDOW }, () => false);
  set.forEachRange((start, end) => {
    const lo = u.offsetOf(start);
    const hi = u.offsetOf(end);
    assert.ok(lo >= 0 && hi < WINDOW && lo <= hi, `range ${start}-${end} outside the window`);
    for (let x = lo; x <= hi; x++) member[x] = true;
  });
  return member;
}

function assertNormal<A extends number | bigint>(set: AddressSet<A>): void {
  for (let k = 0; k < set.rangeCount; k++) {
    assert.ok(set.start(k) <= set.end(k), 'ranges are ordered inside');
    if (k > 0) assert.ok(set.family.next(set.end(k - 1)) < set.start(k), 'ranges are disjoint and not adjacent');
  }
}

const withUniverse = fc.constantFrom(...universes);

test('building a set gives the union of its intervals, in normal form', () => {
  fc.assert(
    fc.property(withUniverse, intervals, (u, list) => {
      const set = build(u, list);
      assertNormal(set);
      assert.deepEqual(members(u, set), model(list));
      assert.equal(set.size(), BigInt(model(list).filter(Boolean).length));
    }),
    { numRuns: 600 },
  );
});

test('union, intersection and difference equal the model', () => {
  fc.assert(
    fc.property(withUniverse, intervals, intervals, (u, a, b) => {
      const [setA, setB, ma, mb] = [build(u, a), build(u, b), model(a), model(b)];
      const cases: [AddressSet<number | bigint>, (x: number) => boolean][] = [
        [setA.union(setB), (x) => ma[x] || mb[x]],
        [setA.intersection(setB), (x) => ma[x] && mb[x]],
        [setA.difference(setB), (x) => ma[x] && !mb[x]],
      ];
      for (const [result, expected] of cases) {
        assertNormal(result);
        assert.deepEqual(
          members(u, result),
          Array.from({ length: WINDOW }, (_, x) => expected(x)),
        );
      }
    }),
    { numRuns: 600 },
  );
});

test('replacing the part of a set within a range equals the model, size and all', () => {
  fc.assert(
    fc.property(withUniverse, intervals, intervals, fc.nat(WINDOW - 1), fc.nat(WINDOW - 1), fc.boolean(), (u, a, b, x, y, sized) => {
      const [lo, hi] = [Math.min(x, y), Math.max(x, y)];
      const set = build(u, a);
      // Half the time the size is known before: the replaced set's is then worked out from it.
      if (sized) set.size();
      const inside = build(u, b).clip(u.at(lo), u.at(hi));
      const result = set.replaced(u.at(lo), u.at(hi), inside);
      const [ma, mb] = [model(a), model(b)];
      const expected = Array.from({ length: WINDOW }, (_, x) => (x >= lo && x <= hi ? mb[x] : ma[x]));
      assertNormal(result);
      assert.deepEqual(members(u, result), expected);
      assert.equal(result.size(), BigInt(expected.filter(Boolean).length));
    }),
    { numRuns: 1000 },
  );
});

test('has, covers, overlaps and clip equal the model', () => {
  fc.assert(
    fc.property(withUniverse, intervals, fc.nat(WINDOW - 1), fc.nat(WINDOW - 1), (u, list, x, y) => {
      const set = build(u, list);
      const m = model(list);
      const [lo, hi] = [Math.min(x, y), Math.max(x, y)];
      const inside = m.slice(lo, hi + 1);
      assert.equal(set.has(u.at(x)), m[x]);
      assert.equal(set.covers(u.at(lo), u.at(hi)), inside.every(Boolean));
      assert.equal(set.overlaps(u.at(lo), u.at(hi)), inside.some(Boolean));
      const clipped = set.clip(u.at(lo), u.at(hi));
      assertNormal(clipped);
      assert.deepEqual(
        members(u, clipped),
        m.map((v, i) => v && i >= lo && i <= hi),
      );
    }),
    { numRuns: 600 },
  );
});

test('CIDR decomposition is exact, aligned, ascending and minimal', () => {
  fc.assert(
    fc.property(withUniverse, intervals, (u, list) => {
      const set = build(u, list);
      const blocks: [number | bigint, number][] = [];
      set.forEachCidr((network, prefix) => blocks.push([network, prefix]));
      const covered = Array.from({ length: WINDOW }, () => false);
      let previousEnd = -1;
      for (const [network, prefix] of blocks) {
        const hostBits = u.family.bits - prefix;
        assert.equal(u.family.network(network, prefix), network, 'block is aligned');
        const first = u.offsetOf(network);
        const last = u.offsetOf(u.family.lastOfBlock(network, hostBits));
        assert.ok(first > previousEnd, 'blocks ascend without overlap');
        for (let x = first; x <= last; x++) covered[x] = true;
        previousEnd = last;
      }
      assert.deepEqual(covered, model(list));
      assert.equal(set.cidrCount(), blocks.length);
      assert.equal(blocks.length, greedyBlockCount(model(list), u));
    }),
    { numRuns: 600 },
  );
});

/**
 * An independent count of the fewest CIDR blocks: for each run of members,
 * repeatedly take the largest power-of-two block aligned at the current
 * address (alignment judged on the real address) that fits in the run.
 */
function greedyBlockCount<A extends number | bigint>(m: boolean[], u: Universe<A>): number {
  let blocks = 0;
  for (let x = 0; x < WINDOW;) {
    if (!m[x]) {
      x++;
      continue;
    }
    let end = x;
    while (end + 1 < WINDOW && m[end + 1]) end++;
    while (x <= end) {
      const real = BigInt(u.at(x));
      let size = 1;
      while (real % BigInt(size * 2) === 0n && x + size * 2 - 1 <= end) size *= 2;
      blocks++;
      x += size;
    }
  }
  return blocks;
}

test('the CIDR blocks of any IPv4 range are those the generic (IPv6) arithmetic finds for the same numbers', () => {
  // IPv4 takes a path of its own, its arithmetic inline; ranges of the whole space included, which no 64-address window reaches.
  const address = fc.oneof(fc.integer({ min: 0, max: IPV4.max }), fc.constantFrom(0, 1, 2 ** 31 - 1, 2 ** 31, IPV4.max - 1, IPV4.max));
  fc.assert(
    fc.property(address, address, (a, b) => {
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      const four: string[] = [];
      const six: string[] = [];
      forEachCidrOfRange(IPV4, lo, hi, (network, prefix) => four.push(`${network}/${prefix}`));
      forEachCidrOfRange(IPV6, BigInt(lo), BigInt(hi), (network, prefix) => six.push(`${network}/${prefix - 96}`));
      assert.deepEqual(four, six);
    }),
    { numRuns: 2000 },
  );
});

test('algebraic laws hold', () => {
  fc.assert(
    fc.property(withUniverse, intervals, intervals, intervals, (u, a, b, c) => {
      const [A, B, C] = [build(u, a), build(u, b), build(u, c)];
      assert.ok(A.union(B).equals(B.union(A)));
      assert.ok(A.intersection(B).equals(B.intersection(A)));
      assert.ok(A.difference(B).intersection(B).isEmpty);
      assert.ok(A.difference(B.union(C)).equals(A.difference(B).intersection(A.difference(C))), 'De Morgan');
      assert.ok(
        A.union(B)
          .intersection(C)
          .equals(A.intersection(C).union(B.intersection(C))),
        'distributive',
      );
      const rebuilt = new IntervalBuilder(u.family);
      A.forEachRange((start, end) => rebuilt.add(start, end));
      assert.ok(rebuilt.build().equals(A));
    }),
    { numRuns: 400 },
  );
});

test('sets reaching the very top of the space', () => {
  const top4 = build(universes[2] as Universe<number>, [[0, WINDOW - 1]]);
  assert.equal(top4.end(0), 2 ** 32 - 1);
  const everything = new IntervalBuilder(IPV4);
  everything.add(0, 2 ** 32 - 1);
  const all4 = everything.build();
  assert.equal(all4.size(), 2n ** 32n);
  assert.ok(all4.difference(top4).union(top4).equals(all4));
  const blocks: string[] = [];
  all4.forEachCidr((n, p) => blocks.push(`${n}/${p}`));
  assert.deepEqual(blocks, ['0/0']);
  const all6 = new IntervalBuilder(IPV6);
  all6.add(0n, (1n << 128n) - 1n);
  assert.equal(all6.build().size(), 1n << 128n);
  assert.ok(AddressSet.empty(IPV6).union(all6.build()).equals(all6.build()));
});

test('radix sort equals a comparison sort', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.nat(0xffffffff), fc.constantFrom(0, 0xffffffff, 0xfffffffe, 0x80000000, 65535, 65536)), { maxLength: 3000 }), (values) => {
      const sorted = Uint32Array.from(values);
      radixSortUint32(sorted);
      assert.deepEqual(
        [...sorted],
        [...values].sort((a, b) => a - b),
      );
    }),
    { numRuns: 200 },
  );
});

test('splitting a CIDR gives 2^(into - prefix) aligned blocks whose union is the block', () => {
  const family4 = fc.tuple(fc.nat(0xffffffff), fc.nat(32), fc.nat(12)).map(([address, prefix, extra]) => ({
    family: IPV4 as Family<number | bigint>,
    network: IPV4.network(address, prefix) as number | bigint,
    prefix,
    into: Math.min(32, prefix + 1 + (extra % 12)),
  }));
  const family6 = fc.tuple(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), fc.nat(128), fc.nat(12)).map(([address, prefix, extra]) => ({
    family: IPV6 as Family<number | bigint>,
    network: IPV6.network(address, prefix) as number | bigint,
    prefix,
    into: Math.min(128, prefix + 1 + (extra % 12)),
  }));
  fc.assert(
    fc.property(fc.oneof(family4, family6), ({ family, network, prefix, into }) => {
      fc.pre(into > prefix);
      const blocks = splitCidr(family, network, prefix, into);
      assert.equal(blocks.length, 2 ** (into - prefix));
      const union = new IntervalBuilder(family);
      for (const block of blocks) {
        assert.equal(family.network(block, into), block);
        union.add(block, family.lastOfBlock(block, family.bits - into));
      }
      const whole = new IntervalBuilder(family);
      whole.add(network, family.lastOfBlock(network, family.bits - prefix));
      assert.ok(union.build().equals(whole.build()));
    }),
    { numRuns: 300 },
  );
  assert.deepEqual(splitCidr(IPV4, 0x23c00000, 12, 13), [0x23c00000, 0x23c80000]);
  assert.throws(() => splitCidr(IPV4, 0, 32, 33), /choose a prefix from \/33 to \/32/);
  assert.throws(() => splitCidr(IPV6, 0n, 0, 64), /more than 65536/);
});

test('radix sort of indices by key is stable, for a few indices (a comparison sort) as for many (radix passes)', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.nat(7), fc.nat(0xffffffff)), { maxLength: 1500 }), (keys) => {
      const order = Uint32Array.from(keys.keys()).reverse();
      radixSortIndices(order, Uint32Array.from(keys));
      assert.deepEqual(
        [...order],
        [...keys.keys()].reverse().sort((a, b) => keys[a] - keys[b]),
      );
    }),
    { numRuns: 100 },
  );
});

test('the union of many sets at once equals their unions one by one', () => {
  for (const u of universes) {
    fc.assert(
      fc.property(fc.array(fc.array(fc.tuple(fc.nat(WINDOW - 1), fc.nat(WINDOW - 1)), { maxLength: 4 }), { maxLength: 6 }), (lists) => {
        const sets = lists.map((ranges) => {
          const builder = new IntervalBuilder(u.family as Family<number | bigint>);
          for (const [a, b] of ranges) builder.add(u.at(Math.min(a, b)), u.at(Math.max(a, b)));
          return builder.build();
        });
        const folded = sets.reduce((all, set) => all.union(set), AddressSet.empty(u.family as Family<number | bigint>));
        assert.ok(unionOf(u.family as Family<number | bigint>, sets).equals(folded));
      }),
      { numRuns: 100 },
    );
  }
});
