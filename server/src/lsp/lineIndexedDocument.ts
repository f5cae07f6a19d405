/**
 * The server's open documents: the text and where each of its lines starts,
 * kept in a typed array found by native string search. The library's
 * document (vscode-languageserver-textdocument) finds its line starts one
 * character at a time into an array of numbers, and moves every later one
 * in a loop on each edit: 30 ms for a 200,000-line list and 220 ms for
 * 2 million, on the way to the first diagnostics, which need positions.
 * Positions read as the library reads them, and as the core's line model
 * (core/formats/format.ts): `\n`, `\r\n` and a lone `\r` end a line, and an
 * offset inside a line break is at the end of the line it ends. The
 * document also tells, from the ranges of the changes applied to it, how
 * much of its text's start and end no change has touched since a text it
 * was marked with: the analysis then re-reads the edited lines without
 * comparing the whole old and new texts on every keystroke.
 */
import type { Position, Range, TextDocumentContentChangeEvent } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { KeptEnds } from '../core/document/document';
import { CR, LF } from '../core/primitives/charCodes';
import { forEachLineStart } from '../core/formats/format';
import { lowerBound } from '../core/primitives/search';

export class LineIndexedDocument implements TextDocument {
  private content: string;
  private documentVersion: number;
  /** starts[0, count): the offset where each line starts, ascending; capacity beyond count, so that an edit rarely allocates. */
  private starts: Uint32Array;
  private count = 0;
  /** The text `mark` last saw, and the lengths of its start and of its end that the changes since have left as they were. */
  private marked: string | undefined;
  private keptPrefix = 0;
  private keptSuffix = 0;

  private constructor(
    readonly uri: string,
    readonly languageId: string,
    version: number,
    content: string,
  ) {
    this.content = content;
    this.documentVersion = version;
    this.starts = new Uint32Array(16);
    forEachLineStart(content, 0, content.length, (start) => this.push(start));
  }

  /** For TextDocuments: a document of `content`. */
  static create(uri: string, languageId: string, version: number, content: string): LineIndexedDocument {
    return new LineIndexedDocument(uri, languageId, version, content);
  }

  /** For TextDocuments: `document` with `changes` applied in order, as version `version` (the same object, as the library's update does). */
  static update(document: LineIndexedDocument, changes: readonly TextDocumentContentChangeEvent[], version: number): LineIndexedDocument {
    for (const change of changes) document.apply(change);
    document.documentVersion = version;
    return document;
  }

  /** Marks the text now as the one that later changes are told against (keptSince). */
  mark(): void {
    this.marked = this.content;
    this.keptPrefix = this.keptSuffix = this.content.length;
  }

  /**
   * How much of the text's start and end (in characters) no change has
   * touched since the document was marked with `text`, or undefined when
   * `text` is not the text it was last marked with.
   */
  keptSince(text: string): KeptEnds | undefined {
    return this.marked !== undefined && this.marked === text ? { prefix: this.keptPrefix, suffix: this.keptSuffix } : undefined;
  }

  get version(): number {
    return this.documentVersion;
  }

  get lineCount(): number {
    return this.count;
  }

  getText(range?: Range): string {
    return range ? this.content.substring(this.offsetAt(range.start), this.offsetAt(range.end)) : this.content;
  }

  positionAt(offset: number): Position {
    offset = Math.max(Math.min(offset, this.content.length), 0);
    const line = lowerBound(this.starts, offset + 1, this.count) - 1;
    return { line, character: this.beforeLineBreak(offset, this.starts[line]) - this.starts[line] };
  }

  offsetAt(position: Position): number {
    if (position.line >= this.count) return this.content.length;
    if (position.line < 0) return 0;
    const [start, next] = this.lineBounds(position.line);
    if (position.character <= 0) return start;
    return this.beforeLineBreak(Math.min(start + position.character, next), start);
  }

  /** The line's range, its line break left out (the last line's for a line past the end, an empty range at 0 for a negative one). */
  getLineRange(line: number): Range {
    if (line < 0) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    line = Math.min(line, this.count - 1);
    const [start, next] = this.lineBounds(line);
    return { start: { line, character: 0 }, end: { line, character: this.beforeLineBreak(next, start) - start } };
  }

  /** The line break that ends the line ('' for the last line and lines outside the document). */
  getEOLCharacters(line: number): string {
    if (line < 0 || line >= this.count) return '';
    const [start, next] = this.lineBounds(line);
    return this.content.substring(this.beforeLineBreak(next, start), next);
  }

  /** Where the line starts, and where the next one starts (or the text ends). */
  private lineBounds(line: number): [number, number] {
    return [this.starts[line], line + 1 < this.count ? this.starts[line + 1] : this.content.length];
  }

  private apply(change: TextDocumentContentChangeEvent): void {
    if (!('range' in change)) {
      this.content = change.text;
      this.keptPrefix = this.keptSuffix = 0;
      this.count = 0;
      forEachLineStart(change.text, 0, change.text.length, (start) => this.push(start));
      return;
    }
    const [from, to] = ordered(this.offsetAt(change.range.start), this.offsetAt(change.range.end));
    this.keptPrefix = Math.min(this.keptPrefix, from);
    this.keptSuffix = Math.min(this.keptSuffix, this.content.length - to);
    this.content = this.content.substring(0, from) + change.text + this.content.substring(to);
    // Whether an offset starts a line depends on the characters before it and at it alone. So the line starts before
    // `from` stay, those after the removed text move by the change in length, and the inserted text's are found afresh.
    const insertedEnd = from + change.text.length;
    const inserted: number[] = [];
    forEachLineStart(this.content, from, insertedEnd, (start) => inserted.push(start));
    const kept = lowerBound(this.starts, from, this.count);
    const movedFrom = lowerBound(this.starts, to + 1, this.count);
    const movedTo = kept + inserted.length;
    const count = movedTo + this.count - movedFrom;
    this.reserve(count);
    this.starts.copyWithin(movedTo, movedFrom, this.count);
    this.starts.set(inserted, kept);
    const shift = insertedEnd - to;
    if (shift !== 0) for (let k = movedTo; k < count; k++) this.starts[k] += shift;
    this.count = count;
  }

  private push(start: number): void {
    this.reserve(this.count + 1);
    this.starts[this.count++] = start;
  }

  /** Room for `count` line starts. */
  private reserve(count: number): void {
    if (count <= this.starts.length) return;
    const larger = new Uint32Array(Math.max(2 * this.starts.length, count));
    larger.set(this.starts.subarray(0, this.count));
    this.starts = larger;
  }

  /** `offset`, moved back out of the line break that ends the line starting at `lineStart`. */
  private beforeLineBreak(offset: number, lineStart: number): number {
    while (offset > lineStart && isLineBreak(this.content.charCodeAt(offset - 1))) offset--;
    return offset;
  }
}

function ordered(a: number, b: number): [number, number] {
  return a <= b ? [a, b] : [b, a];
}

function isLineBreak(code: number): boolean {
  return code === CR || code === LF;
}
