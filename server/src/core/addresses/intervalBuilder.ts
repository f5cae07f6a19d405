/**
 * Collects the intervals of many entries in growable arrays and turns them
 * into an AddressSet with radix sorts and one sweep: no object per entry.
 * Single addresses, most of any real list, are kept apart as points: they
 * need one sort instead of the two (starts and ends) a range needs.
 */
import { AddressSet } from './addressSet';
import type { AddressArray, Family } from './family';

/** Nothing yet: a column allocates on its first push, as a scope of a firewall file often adds nothing to most of its builders. */
const NO_VALUES: AddressArray<never> = [];

/** A growable array of addresses. */
class Column<A extends number | bigint> {
  values: AddressArray<A> = NO_VALUES;
  length = 0;

  constructor(
    private readonly family: Family<A>,
    /** The room the first push makes. */
    private readonly capacity: number,
  ) {}

  push(value: A): void {
    if (this.length === this.values.length) this.reserve(this.length || Math.max(this.capacity, 1));
    this.values[this.length++] = value;
  }

  reserve(extra: number): void {
    if (this.length + extra <= this.values.length) return;
    this.values = this.length === 0 ? this.family.allocate(extra) : this.family.resize(this.values, this.length + extra);
  }

  sort(): void {
    if (this.length > 1) this.family.sort(this.values, this.length);
  }
}

export class IntervalBuilder<A extends number | bigint> {
  private readonly points: Column<A>;
  private readonly starts: Column<A>;
  private readonly ends: Column<A>;
  private sorted = true;

  constructor(
    readonly family: Family<A>,
    capacity = 1024,
  ) {
    this.points = new Column(family, capacity);
    this.starts = new Column(family, 16);
    this.ends = new Column(family, 16);
  }

  /** Intervals added so far. */
  get count(): number {
    return this.points.length + this.starts.length;
  }

  /** Makes room for `extra` more single addresses at once, rather than doubling step by step. */
  reserve(extra: number): void {
    this.points.reserve(extra);
  }

  add(lo: A, hi: A): void {
    if (lo === hi) this.points.push(lo);
    else {
      this.starts.push(lo);
      this.ends.push(hi);
    }
    this.sorted = false;
  }

  /** Sorts the points, and the range bounds each on its own (the costly part of `build`, timed apart by the CLI's --profile). */
  sortBounds(): void {
    if (this.sorted) return;
    this.points.sort();
    this.starts.sort();
    this.ends.sort();
    this.sorted = true;
  }

  /** The union of everything added so far. */
  build(): AddressSet<A> {
    this.sortBounds();
    return AddressSet.fromSortedBounds(this.family, this.starts.values, this.ends.values, this.starts.length).withPoints(this.points.values, this.points.length);
  }
}

/** The union of many sets at once: one sort of all their intervals, where adding them one by one would copy the growing union each time. */
export function unionOf<A extends number | bigint>(family: Family<A>, sets: readonly AddressSet<A>[]): AddressSet<A> {
  const all = new IntervalBuilder(family, 16);
  for (const set of sets) set.forEachRange((lo, hi) => all.add(lo, hi));
  return all.build();
}
