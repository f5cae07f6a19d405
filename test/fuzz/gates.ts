/**
 * Generator features held back until the branch that fixes what they find
 * is merged: each finds a bug owned there. The generators keep producing
 * these cases once a gate is turned on; with every gate on, the suite runs
 * in full.
 */
import { parseDocument, type BlocklistDocument } from '../../server/src/core/document/document';
import type { Format } from '../../server/src/core/formats/format';

// h/lines: one line model, BOMs and UTF-16, stale versions, settings validation.

/** Lone `\r` line breaks (the core reads `a\r1.2.3.4` as one line, the editor as two). */
export const LONE_CR_LINE_BREAKS = true;

/** A UTF-8 byte-order mark before a list whose count is checked (the BOM makes line 1 unreadable today). */
export const BYTE_ORDER_MARKS = true;

/** Files in UTF-16 (LE or BE, with their BOM) for the command-line tool (today they read as 0 entries). */
export const UTF16_FILES = true;

/** A didChange that repeats the document's version, as a buggy client may (the server answers from the analysis of the older text). */
export const REUSED_VERSIONS = true;

/** `blocklist.maxProblems` between 0 and 1 (0.5 hides every finding today). */
export const FRACTIONAL_MAX_PROBLEMS = true;

/**
 * An overbroad error threshold narrower than the warning one (today an
 * entry past the error threshold only gets no finding). Turned on, the
 * suite expects an entry past either threshold to be overbroad.
 */
export const INVERTED_THRESHOLDS = true;

// h/stalls: ownership and targets in the time budget.

/**
 * Entries of more than 2^22 IPv4 or 2^104 IPv6 addresses audited with the
 * ASN data (one `0.0.0.0/0` takes 1.5–4.5 s today). Held back, such entries
 * are written as one address before the ASN data sees them
 * (withinOwnershipBudget).
 */
export const BROAD_ENTRIES_WITH_ASN_DATA = true;

/** `# target:` lines of up to 3,000 ASNs rather than 8 (100 take 1.4 s today). */
export const MANY_TARGET_ASNS = true;

// h/cliout: escaped excerpts.

/** Control characters and lines of 500 characters or more in the files the command-line tool reads (today a whole line reaches the terminal, escapes and all). */
export const CLI_EXCERPTS = true;

// h/ipv6oracle: the nftables and pf readers.

/** Blocks nested up to 5,000 deep rather than 500 (the nftables reader recurses per block: 1,500 `table <t> {` overflow the stack). */
export const DEEP_NESTING = true;

/**
 * Words that are no address on a line of a pf table file, commas and ranges
 * among them (the pf reader skips them silently, so `1.2.3.4, 5.6.7.8` is
 * 1.2.3.4 alone, and reads the line at all only when its first word looks
 * like an address; pfctl rejects such a file).
 */
export const PF_TABLE_FILE_WORDS = true;

// h/iptables.

/** A CIDR after iptables' `--src-range` or `--dst-range` (read as its range, where iptables-restore says `Bad value for "--src-range"`). */
export const IPTABLES_RANGE_CIDRS = true;

/** A line of a pf table file: addresses, `!` exceptions, a comment. */
const PF_TABLE_FILE_LINE = /^\s*(?:!?\s*[\d.:/a-fA-F]+(?:\s+|$))*(?:#.*)?$/;

/** Whether a generated document shows a feature held back above: the case is then skipped. */
export function heldBack(document: BlocklistDocument): boolean {
  const { text, entries: t } = document;
  const lineOf = (k: number) => text.slice(text.lastIndexOf('\n', t.start[k]) + 1, (text.indexOf('\n', t.end[k]) + 1 || text.length + 1) - 1);
  for (let k = 0; k < t.count; k++) {
    if (!PF_TABLE_FILE_WORDS && document.format.id === 'pf' && document.scopes[t.scope[k]].name === '' && !PF_TABLE_FILE_LINE.test(lineOf(k))) return true;
    if (!IPTABLES_RANGE_CIDRS && document.format.id === 'iptables' && /--(?:src|dst)-range\s+\S*\//.test(lineOf(k))) return true;
  }
  return false;
}

/**
 * `text` with each entry too broad for the ASN data in the time budget
 * written as one address, while BROAD_ENTRIES_WITH_ASN_DATA holds them back
 * (a few rounds, as a rewritten line may read otherwise); undefined when
 * some stay broad, to skip the case.
 */
export function withinOwnershipBudget(text: string, format: Format): string | undefined {
  if (BROAD_ENTRIES_WITH_ASN_DATA) return text;
  for (let round = 0; round < 4; round++) {
    const t = parseDocument(text, format).entries;
    let narrowed = '';
    let from = 0;
    let broad = 0;
    for (let k = 0; k < t.count; k++) {
      // Entries sharing a span (nginx's `all`) are written over once.
      if (t.size(k) <= (t.version[k] === 4 ? 1n << 22n : 1n << 104n) || t.start[k] < from) continue;
      narrowed += text.slice(from, t.start[k]) + (t.version[k] === 4 ? '192.0.2.1' : '2001:db8::1');
      from = t.end[k];
      broad++;
    }
    if (broad === 0) return text;
    text = narrowed + text.slice(from);
  }
  return undefined;
}
