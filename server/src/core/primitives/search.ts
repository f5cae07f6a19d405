/** Binary search over ascending arrays, shared by the sets, the document and the network indexes. */
import { workDone } from './workCounter';

/** The first index in [from, length) whose value is >= x (length if none), the values there ascending. */
export function lowerBound<A extends number | bigint>(values: ArrayLike<A>, x: A, length = values.length, from = 0): number {
  let lo = from;
  let hi = length;
  let steps = 0;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid] < x) lo = mid + 1;
    else hi = mid;
    steps++;
  }
  workDone.probes += steps;
  return lo;
}

/** The first index in [0, count) for which `holds` is true, given that it holds for a suffix of the indices. */
export function partitionPoint(count: number, holds: (index: number) => boolean): number {
  let lo = 0;
  let hi = count;
  let steps = 0;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (holds(mid)) hi = mid;
    else lo = mid + 1;
    steps++;
  }
  workDone.probes += steps;
  return lo;
}
