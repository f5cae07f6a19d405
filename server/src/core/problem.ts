/**
 * Positioned findings produced while reading entries. Offsets are UTF-16 code
 * unit offsets into the document text, `end` exclusive.
 */

/** Stable codes: they appear in diagnostics, settings and the CLI output. */
export type ProblemCode =
  /** The text is not an address, CIDR or range. */
  | 'invalid-entry'
  /** A CIDR whose address has bits set past the prefix (`1.2.3.4/24`); read as the network. */
  | 'host-bits-set'
  /** An octet with a leading zero (`010.1.1.1`): read as decimal, but iprange and inet_aton read it as octal. */
  | 'leading-zeros';

export interface Problem {
  readonly code: ProblemCode;
  readonly start: number;
  readonly end: number;
  readonly message: string;
}

/** Whether a problem makes the entry unusable (it is then skipped). */
export function isFatal(problem: Problem): boolean {
  return problem.code === 'invalid-entry';
}
