/**
 * Counts the work the core does, for tests that hold it to a bound per line
 * or per entry, where the clock of a shared machine cannot be trusted.
 * Characters are counted from outside, by wrapping the string and regular
 * expression methods (and join) for the length of one measurement (a
 * reader that scans on past its line, by any method, is counted whatever
 * its code);
 * index probes and set and sort elements are the core's own counters
 * (server/src/core/primitives/workCounter.ts).
 */
import { workDone } from '../../server/src/core/primitives/workCounter';

export interface Work {
  /** Characters read through String and RegExp methods and JSON.parse, or written by Array.prototype.join; array elements walked by an iterator or searched. */
  readonly characters: number;
  readonly probes: number;
  readonly elements: number;
  readonly buckets: number;
  /** What grows with the input: all but the buckets, a fixed cost per sort. */
  readonly scaling: number;
  /** All of it. */
  readonly total: number;
}

type Method = (this: unknown, ...args: unknown[]) => unknown;
/** `lastIndex` is the receiver's before the call, for a regular expression. */
type Cost = (self: unknown, args: unknown[], result: unknown, lastIndex: number) => number;

/** A cost read from the string a method was called on. */
const onText =
  (cost: (text: string, args: unknown[], result: unknown) => number): Cost =>
  (self, args, result) =>
    cost(self as string, args, result);

const length = (value: unknown) => String(value).length;

/** After `indexOf` from `from`: up to the match and over it, or to the end. */
const scanned = (text: string, [needle, from]: unknown[], found: unknown) =>
  (found as number) < 0 ? text.length - Number(from ?? 0) : (found as number) - Number(from ?? 0) + length(needle);

/** What each wrapped method costs in characters. */
// oxfmt-ignore
const COSTS: readonly [owner: object, name: string, cost: Cost][] = [
  [String.prototype, 'charCodeAt', () => 1],
  [String.prototype, 'charAt', () => 1],
  [String.prototype, 'codePointAt', () => 1],
  [String.prototype, 'indexOf', onText(scanned)],
  [String.prototype, 'includes', onText((text, [needle, from]) => text.length - Number(from ?? 0) + length(needle))],
  [String.prototype, 'lastIndexOf', onText((text, [needle, from = text.length], found) => ((found as number) < 0 ? Number(from) : Number(from) - (found as number) + length(needle)))],
  [String.prototype, 'startsWith', (_, [needle]) => length(needle)],
  [String.prototype, 'endsWith', (_, [needle]) => length(needle)],
  ...['slice', 'substring', 'padStart', 'repeat'].map((name): [object, string, Cost] => [String.prototype, name, (_, __, result) => length(result)]),
  ...['split', 'trim', 'trimStart', 'trimEnd', 'toLowerCase', 'toUpperCase', 'replace', 'replaceAll'].map((name): [object, string, Cost] => [String.prototype, name, onText((text) => text.length)]),
  // Every regular expression match goes through exec (test, match, replace and split call it): from where it starts to the end of the match.
  [RegExp.prototype, 'exec', (self, [input], match, lastIndex) => {
    const found = match as RegExpExecArray | null;
    return (found ? found.index + found[0].length : length(input)) - ((self as RegExp).global || (self as RegExp).sticky ? lastIndex : 0);
  }],
  [JSON, 'parse', (_, [text]) => length(text)],
  // A string built from parts: a name that grows with nesting, say.
  [Array.prototype, 'join', (_, __, result) => length(result)],
  // An array walked or copied (for…of, spread, Array.from): a path copied per word, say. Counted as characters, one per element.
  [Object.getPrototypeOf([][Symbol.iterator]()) as object, 'next', () => 1],
  // An array searched: a list of roots asked about each chain, say. Up to the match, or its whole length.
  [Array.prototype, 'includes', (self) => (self as unknown[]).length],
  [Array.prototype, 'indexOf', (self, _, found) => ((found as number) < 0 ? (self as unknown[]).length : (found as number) + 1)],
];

/** The work `run` does, and what it returns. */
export function measure<T>(run: () => T): { work: Work; result: T } {
  let characters = 0;
  const originals = COSTS.map(([owner, name]) => (owner as Record<string, Method>)[name]);
  COSTS.forEach(([owner, name, cost], m) => {
    const original = originals[m];
    (owner as Record<string, Method>)[name] = function (this: unknown, ...args: unknown[]) {
      const lastIndex = this instanceof RegExp ? this.lastIndex : 0;
      const result = Reflect.apply(original, this, args);
      characters += cost(this, args, result, lastIndex);
      return result;
    };
  });
  const before = { ...workDone };
  try {
    const result = run();
    const [probes, elements, buckets] = [workDone.probes - before.probes, workDone.elements - before.elements, workDone.buckets - before.buckets];
    const scaling = characters + probes + elements;
    return { work: { characters, probes, elements, buckets, scaling, total: scaling + buckets }, result };
  } finally {
    COSTS.forEach(([owner, name], m) => ((owner as Record<string, Method>)[name] = originals[m]));
  }
}
