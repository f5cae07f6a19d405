/**
 * How much work the core's input-sized loops have done: search steps and
 * ranges visited in the ASN index, elements passed through sorts and set
 * operations, the buckets of radix passes. Nothing in the product reads it; tests read it before and
 * after an operation to hold the work per line or per entry to a bound as
 * the input grows (test/core/linearity.test.ts), which the clock cannot do
 * on a shared machine. Each loop adds its count once, after it ran.
 */
export const workDone = {
  /** Binary-search steps and ranges visited in the ASN index and the provider map. */
  probes: 0,
  /** Elements moved or compared by sorts and set operations. */
  elements: 0,
  /** Buckets a radix pass clears and sums: a fixed cost per sort, however short. */
  buckets: 0,
  /** Entries visited to answer a request about some lines of a document (inlay hints) or some entries (a hover's overlapping entries): bounded by what is asked, not the document. */
  entries: 0,
};
