/**
 * JSON written piece by piece, as `JSON.stringify(value, null, 2)` would
 * write it, except that the items of a `Streamed` array are made and written
 * one at a time. Output of any size then needs no more memory than one item,
 * and never meets V8's limit on the length of a string (2^29 characters).
 */
import type { Output } from './output';

/** An array whose items are produced while it is written. */
export class Streamed<T> {
  constructor(readonly items: Iterable<T>) {}
}

/** Writes `value` at `depth` levels of indentation (the caller has written the indentation of its first line). */
export function writeJson(out: Output, value: unknown, depth = 0): void {
  if (value instanceof Streamed) writeItems(out, value.items, depth);
  else if (!holdsStreamed(value)) out.write(JSON.stringify(value, null, 2).replace(/\n/g, `\n${indent(depth)}`));
  else if (Array.isArray(value)) writeItems(out, value, depth);
  else writeMembers(out, Object.entries(value as object), depth);
}

function writeItems(out: Output, items: Iterable<unknown>, depth: number): void {
  let first = true;
  for (const item of items) {
    out.write(`${first ? '[' : ','}\n${indent(depth + 1)}`);
    writeJson(out, item, depth + 1);
    first = false;
  }
  out.write(first ? '[]' : `\n${indent(depth)}]`);
}

function writeMembers(out: Output, members: readonly [string, unknown][], depth: number): void {
  let first = true;
  for (const [key, value] of members) {
    if (value === undefined) continue; // as JSON.stringify leaves it out
    out.write(`${first ? '{' : ','}\n${indent(depth + 1)}${JSON.stringify(key)}: `);
    writeJson(out, value, depth + 1);
    first = false;
  }
  out.write(first ? '{}' : `\n${indent(depth)}}`);
}

function holdsStreamed(value: unknown): boolean {
  if (value instanceof Streamed) return true;
  if (typeof value !== 'object' || value === null) return false;
  return (Array.isArray(value) ? value : Object.values(value)).some(holdsStreamed);
}

function indent(depth: number): string {
  return '  '.repeat(depth);
}
