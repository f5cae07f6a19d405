/**
 * Collects the intervals of many entries in growable arrays and turns them
 * into an AddressSet with two sorts and one sweep: no object per entry.
 */
import { AddressSet } from './addressSet';
import type { AddressArray, Family } from './family';

export class IntervalBuilder<A extends number | bigint> {
  private starts: AddressArray<A>;
  private ends: AddressArray<A>;
  private length = 0;
  private sorted = true;

  constructor(readonly family: Family<A>, capacity = 1024) {
    this.starts = family.allocate(capacity);
    this.ends = family.allocate(capacity);
  }

  /** Intervals added so far. */
  get count(): number {
    return this.length;
  }

  /** Makes room for `extra` more intervals at once, rather than doubling step by step. */
  reserve(extra: number): void {
    if (this.length + extra > this.starts.length) {
      this.starts = this.family.resize(this.starts, this.length + extra);
      this.ends = this.family.resize(this.ends, this.length + extra);
    }
  }

  add(lo: A, hi: A): void {
    if (this.length === this.starts.length) this.grow();
    this.starts[this.length] = lo;
    this.ends[this.length] = hi;
    this.length++;
    this.sorted = false;
  }

  /** Sorts the start and end bounds, each on its own (the costly half of `build`, timed apart by the CLI's --profile). */
  sortBounds(): void {
    if (this.sorted) return;
    this.family.sort(this.starts, this.length);
    this.family.sort(this.ends, this.length);
    this.sorted = true;
  }

  /** The union of everything added so far. */
  build(): AddressSet<A> {
    this.sortBounds();
    return AddressSet.fromSortedBounds(this.family, this.starts, this.ends, this.length);
  }

  private grow(): void {
    const capacity = this.starts.length * 2 || 1024;
    this.starts = this.family.resize(this.starts, capacity);
    this.ends = this.family.resize(this.ends, capacity);
  }
}
