/**
 * A list of 32-bit integers that grows by doubling, in one typed array. A
 * JavaScript array of a million numbers pushed one at a time costs several
 * times as much: each time it grows, its copy is a fresh large object.
 */
export class Int32List {
  private values = new Int32Array(64);
  private count = 0;

  push(value: number): void {
    if (this.count === this.values.length) {
      const bigger = new Int32Array(2 * this.values.length);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.count++] = value;
  }

  /** The values pushed so far (a view: later pushes may or may not show in it). */
  view(): Int32Array {
    return this.values.subarray(0, this.count);
  }
}
