/**
 * A tokenizer for the configuration languages whose statements and lists may
 * run over several lines (nftables, pf): words, one-character punctuation,
 * line ends and `"…"` strings. Blanks, `#` comments and backslash-newline
 * continuations are skipped. It never throws and always moves on.
 */
import { CR, HASH, LF, SPACE, TAB } from '../primitives/charCodes';
import { countLineBreaks, endsLine, lineBreakLength, nextLineBreak } from './format';
import { BACKSLASH, QUOTE, wordIs } from './lines';

export type TokenKind = 'word' | 'punctuation' | 'newline' | 'string' | 'end';

export class Scanner {
  /** The current token. */
  kind: TokenKind = 'end';
  start = 0;
  end = 0;
  /** Zero-based line of the token's start. */
  line = 0;
  private position = 0;
  private positionLine = 0;
  private readonly punctuation: ReadonlySet<number>;

  /** `punctuation`: the characters that are tokens of their own; `stringsSpanLines`: a string runs over line breaks to its closing quote (pf's lexer reads it so). */
  constructor(
    readonly text: string,
    punctuation: string,
    private readonly stringsSpanLines = false,
  ) {
    this.punctuation = new Set(Array.from({ length: punctuation.length }, (_, i) => punctuation.charCodeAt(i)));
  }

  next(): TokenKind {
    const text = this.text;
    let i = this.position;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      // The `\r` of a `\r\n` is a blank: the `\n` is the line end.
      if (c === SPACE || c === TAB || (c === CR && !endsLine(text, i))) {
        i++;
      } else if (c === BACKSLASH && lineBreakLength(text, i + 1) > 0) {
        i += 1 + lineBreakLength(text, i + 1);
        this.positionLine++;
      } else if (c === HASH) {
        i = nextLineBreak(text, i);
      } else {
        break;
      }
    }
    this.start = i;
    this.line = this.positionLine;
    if (i >= text.length) {
      this.end = i;
      this.kind = 'end';
    } else {
      const c = text.charCodeAt(i);
      if (endsLine(text, i)) {
        this.end = i + 1;
        this.kind = 'newline';
        this.positionLine++;
      } else if (this.punctuation.has(c)) {
        this.end = i + 1;
        this.kind = 'punctuation';
      } else if (c === QUOTE) {
        this.end = this.stringEnd(i + 1);
        this.kind = 'string';
        if (this.stringsSpanLines) this.positionLine += countLineBreaks(text, i, this.end);
      } else {
        this.end = this.wordEnd(i + 1);
        this.kind = 'word';
      }
    }
    this.position = this.end;
    return this.kind;
  }

  /** Makes the next call of `next` read the current token again (one token back at most). */
  pushBack(): void {
    this.position = this.start;
    this.positionLine = this.line;
  }

  /** Makes the next token the line end after the current token: the rest of its line is skipped, backslashes and all. */
  skipLine(): void {
    this.position = nextLineBreak(this.text, this.end);
  }

  /** Whether the current token is the word `word`. */
  is(word: string): boolean {
    return this.kind === 'word' && wordIs(this.text, this.start, this.end, word);
  }

  /** Whether the current token is the punctuation `c`. */
  isPunctuation(c: string): boolean {
    return this.kind === 'punctuation' && this.text.charCodeAt(this.start) === c.charCodeAt(0);
  }

  /** Whether the current token ends a statement: a line end, `;`, or the end of the text. */
  endsStatement(): boolean {
    return this.kind === 'newline' || this.kind === 'end' || this.isPunctuation(';');
  }

  /** Past the current statement: up to its line end or `;`, or before a `}` that closes the block around it. */
  skipStatement(): void {
    while (!this.endsStatement()) {
      if (this.isPunctuation('}')) {
        this.pushBack();
        return;
      }
      if (this.isPunctuation('{')) this.skipGroup();
      this.next();
    }
  }

  /** After a `{`: past the `}` that closes it, nested groups included. */
  skipGroup(): void {
    let depth = 1;
    while (depth > 0 && this.next() !== 'end') {
      if (this.isPunctuation('{')) depth++;
      else if (this.isPunctuation('}')) depth--;
    }
  }

  private wordEnd(i: number): number {
    const text = this.text;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === SPACE || c === TAB || c === CR || c === LF || c === HASH || c === QUOTE || this.punctuation.has(c)) break;
      if (c === BACKSLASH && lineBreakLength(text, i + 1) > 0) break;
    }
    return i;
  }

  /** After the opening quote: past the closing one, or at the line end when there is none (unless strings span lines). */
  private stringEnd(i: number): number {
    const text = this.text;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === QUOTE) return i + 1;
      if (endsLine(text, i) && !this.stringsSpanLines) return i;
      if (c === BACKSLASH && !endsLine(text, i + 1)) i++;
    }
    return text.length;
  }
}
