/**
 * What the ASN data said of each entry, kept by the analysis beside the
 * document (never in it) and carried across edits: an edit re-reads a few
 * lines, and only their entries are looked up again.
 */
import type { BlocklistDocument } from '../document/document';

/** Holders are counted up to this many: MAX_ORGANISATIONS_LIMIT plus one, in the six bits a code has for them. */
export const OWNERS_COUNTED = 63;

/**
 * Per entry: 0 not looked up yet, else 1 + (2 when a known provider holds
 * addresses in it) + 4 × the number of different holders, counted up to
 * OWNERS_COUNTED.
 */
export class OwnersMemo {
  private constructor(readonly codes: Uint8Array) {}

  /** The memo for `document`: `previous`'s codes moved with their entries when the document is an edit of previous's, else empty. */
  static for(document: BlocklistDocument, previous?: OwnersMemo): OwnersMemo {
    const codes = new Uint8Array(document.entries.count);
    const splice = document.spliced;
    if (previous && splice) {
      codes.set(previous.codes.subarray(0, splice.from), 0);
      codes.set(previous.codes.subarray(splice.to), splice.from + splice.inserted);
    }
    return new OwnersMemo(codes);
  }

  static code(touchesProvider: boolean, holders: number): number {
    return 1 | (touchesProvider ? 2 : 0) | (Math.min(holders, OWNERS_COUNTED) << 2);
  }

  static touchesProvider(code: number): boolean {
    return (code & 2) !== 0;
  }

  static holders(code: number): number {
    return code >> 2;
  }
}
