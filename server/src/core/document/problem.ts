/**
 * Positioned findings produced while reading entries. Offsets are UTF-16 code
 * unit offsets into the document text, `end` exclusive.
 */

/** Stable codes: they appear in diagnostics, settings and the CLI output. */
export type ProblemCode =
  /** The text is not an address, CIDR or range. */
  | 'invalid-entry'
  /** The file is not text (a NUL character near its start): nothing in it is read. */
  | 'not-text'
  /** A CIDR whose address has bits set past the prefix (`1.2.3.4/24`); read as the network. */
  | 'host-bits-set'
  /** An octet with a leading zero (`010.1.1.1`): read as decimal, but iprange and inet_aton read it as octal. */
  | 'leading-zeros'
  /** A host or interface name the firewall resolves when it loads the file (a pf table file's): its addresses are not counted. */
  | 'unresolved-name';

export interface Problem {
  readonly code: ProblemCode;
  readonly start: number;
  readonly end: number;
  readonly message: string;
}

/** A problem with its place in the document, for reports that speak in lines. */
export interface LineProblem extends Problem {
  /** Zero-based line number. */
  readonly line: number;
}
