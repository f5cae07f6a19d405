/** Reading the files named on the command line, and choosing how to read each. */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { AddressSet, LineProblem } from '../core';
import { audit } from '../core/analysis/audit';
import type { ScopeSet } from '../core/analysis/facts';
import { DEFAULT_AUDIT_OPTIONS } from '../core/analysis/options';
import { parseDocument } from '../core/document/document';
import { decodeText, notTextAt } from '../core/document/encoding';
import type { Scope } from '../core/document/scopes';
import { columnOf, countLineBreaks, type Format } from '../core/formats/format';
import { detectFormat, FORMATS, formatById } from '../core/formats/registry';
import { UsageError } from './args';

/**
 * The file's text ("-" is standard input): UTF-8, or UTF-16 after its
 * byte-order mark. Unreadable files, and files that are not text, are usage
 * errors: exit status 2, one message, no finding.
 */
export function readText(file: string): string {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file === '-' ? 0 : file);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new UsageError(`Cannot read "${file}": ${reason}. Check the path, or pass "-" to read standard input.`);
  }
  return textOf(file, bytes);
}

/** The text of `bytes`, read from `name` (a file, or a revision of one), as readText decodes it. */
export function textOf(name: string, bytes: Uint8Array): string {
  const text = decodeText(bytes);
  const nul = notTextAt(text);
  if (nul >= 0) {
    throw new UsageError(
      `Cannot read "${name}": it is not text (a NUL character at line ${countLineBreaks(text, 0, nul) + 1}, column ${columnOf(text, nul) + 1}). ` +
        'Pass a blocklist saved as UTF-8, or as UTF-16 with a byte-order mark.',
    );
  }
  return text;
}

/** The format named by --input-format, or the one detected from the file's name and text. */
export function formatOf(file: string, text: string, inputFormat: string | undefined): Format {
  if (inputFormat !== undefined && !formatById(inputFormat)) {
    throw new UsageError(`Unknown input format "${inputFormat}". Formats: ${FORMATS.map((f) => f.id).join(', ')}.`);
  }
  return detectFormat(file === '-' ? '' : basename(file), text, inputFormat as Format['id'] | undefined);
}

/**
 * Whether every file of `format` is one plain union of its blocking entries:
 * the format decides by no other rule and declares no sets, tables or
 * blocks. Such files take the CLI's fast path, straight into an
 * AddressCollector; the others (ipset, pf, nginx) are read by `readScoped`.
 */
export function readsAsUnion(format: Format): boolean {
  return format.evaluation === undefined && format.scopeKind === undefined;
}

/** A file read by its format's rules, scope by scope. */
export interface ScopedRead {
  readonly problems: readonly LineProblem[];
  /** Every scope of the file, the file itself first. */
  readonly scopes: readonly Scope[];
  /** Each scope that holds entries: its blocking entries and what it decides, by its own rule. */
  readonly sets: readonly ScopeSet[];
  /** What the file blocks: the union over its blocking scopes, and their blocking entries. */
  readonly blocked4: AddressSet<number>;
  readonly blocked6: AddressSet<bigint>;
  readonly entries4: number;
  readonly entries6: number;
}

/** Reads `text` as the editor does: each scope by its own evaluation, allowing scopes apart. */
export function readScoped(text: string, format: Format): ScopedRead {
  const document = parseDocument(text, format);
  // Only the sets are wanted: no finding is written (audit counts them as omitted).
  const result = audit(document, { ...DEFAULT_AUDIT_OPTIONS, maxFindings: 0 });
  return {
    problems: document.problems,
    scopes: document.scopes,
    sets: result.facts.scopeSets,
    blocked4: result.blocked4,
    blocked6: result.blocked6,
    entries4: result.ipv4.entries,
    entries6: result.ipv6.entries,
  };
}
