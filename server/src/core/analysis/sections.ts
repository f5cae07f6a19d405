/**
 * A list's sections, as maintainers write them: a block of comment lines,
 * then the entries it introduces, up to the next block. Each section is
 * named by the last line of its comment block that is no directive (the
 * heading right above the entries), and counts its entries and the unique
 * addresses they block.
 * The outline, breadcrumbs and folding come from here.
 */
import { IPV4, IPV6 } from '../addresses/family';
import { IntervalBuilder } from '../addresses/intervalBuilder';
import type { BlocklistDocument } from '../document/document';
import { forEachLine } from '../formats/format';

export interface Section {
  /** The heading: the comment block's last line without its comment marker, or '' for entries before any comment. */
  readonly name: string;
  /** Zero-based lines: where the section starts (its comment block's first line, else its first entry's) and its last entry's. */
  readonly start: number;
  readonly end: number;
  /** The line that names it: its comment block's last line (else its first entry's). */
  readonly heading: number;
  /** The section's entries, in document order (indices into the document's entries). */
  readonly entries: readonly number[];
  /** Unique addresses its blocking entries name, per family. */
  readonly ipv4: bigint;
  readonly ipv6: bigint;
}

/** `#`, `;` or `//` after blanks: a comment line in every format read here. */
const COMMENT = /^\s*(?:#|;|\/\/)/;
const MARKER = /^\s*(?:#+|;+|\/\/+)\s*/;
/** A directive's comment: `blocklist-format: …`, `blocklist-role: …`, `target: …`. */
const DIRECTIVE = /^(?:blocklist-[\w-]+|target)\s*:/i;

/** The sections that hold entries, in order; a comment block followed by no entry before the next one is no section. */
export function sectionsOf(document: BlocklistDocument): Section[] {
  const { text } = document;
  const table = document.entries;
  const sections: Section[] = [];
  let block: { start: number; end: number; name: string } | undefined;
  let open: { name: string; start: number; heading: number; end: number; entries: number[] } | undefined;
  let k = 0;
  const close = () => {
    if (open && open.entries.length > 0) sections.push({ ...open, ...unique(document, open.entries) });
    open = undefined;
  };
  forEachLine(text, (start, end, line) => {
    const content = text.slice(start, end);
    if (COMMENT.test(content)) {
      if (block && block.end === line - 1) block.end = line;
      else block = { start: line, end: line, name: '' };
      // The heading is the block's last line that says something, a directive (`# target: …`) only if nothing else does.
      const heading = content.replace(MARKER, '').trim();
      if (heading !== '' && (!DIRECTIVE.test(heading) || block.name === '' || DIRECTIVE.test(block.name))) block.name = heading;
      return;
    }
    // Entries on a comment line (a format whose comments are not `#`) belong to no section.
    while (k < table.count && table.line[k] < line) k++;
    const entries: number[] = [];
    for (; k < table.count && table.line[k] === line; k++) entries.push(k);
    if (entries.length === 0) return;
    // The first entry after a comment block opens that block's section.
    if (block && (!open || block.start > open.end)) {
      close();
      open = { name: block.name, start: block.start, heading: block.end, end: line, entries: [] };
    }
    open ??= { name: '', start: line, heading: line, end: line, entries: [] };
    open.entries.push(...entries);
    open.end = line;
  });
  close();
  return sections;
}

function unique(document: BlocklistDocument, entries: readonly number[]): { ipv4: bigint; ipv6: bigint } {
  const table = document.entries;
  const v4 = new IntervalBuilder(IPV4, 16);
  const v6 = new IntervalBuilder(IPV6, 16);
  for (const k of entries) {
    if (table.allow[k] || table.conditional[k] || document.scopes[table.scope[k]].role === 'allow') continue;
    if (table.version[k] === 4) v4.add(table.lo4[k], table.hi4[k]);
    else v6.add(table.lo6[k], table.hi6[k]);
  }
  return { ipv4: v4.build().size(), ipv6: v6.build().size() };
}
