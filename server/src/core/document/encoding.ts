/**
 * What a file's bytes say about its text: a byte-order mark chooses UTF-16
 * (little or big endian) or marks UTF-8, and is no part of the text; anything
 * else is read as UTF-8, as before (a Windows-1251 registry dump reads with
 * its Cyrillic as U+FFFD, its addresses intact). A NUL character near the
 * start means the file is not text at all (an archive, an image): reading it
 * as a list would give thousands of findings about noise.
 */

/** U+FEFF, the byte-order mark as a character: editors that keep it hand it over as the text's first. */
const BYTE_ORDER_MARK = 0xfeff;

/** How far into a text a NUL character is looked for, as git looks for a NUL byte in a file's first 8,000. */
export const NOT_TEXT_SAMPLE = 8 * 1024;

/** The file's text: UTF-16 LE or BE after their byte-order mark, else UTF-8 (a byte-order mark of UTF-8 skipped); invalid bytes become U+FFFD. */
export function decodeText(bytes: Uint8Array): string {
  const encoding = bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : 'utf-8';
  // TextDecoder drops the byte-order mark of its encoding.
  return new TextDecoder(encoding).decode(bytes);
}

/** Where the document's content starts: after a byte-order mark left in the text, which no reader should see. */
export function contentStart(text: string): number {
  return text.charCodeAt(0) === BYTE_ORDER_MARK ? 1 : 0;
}

/** The offset of the first NUL character in the text's first NOT_TEXT_SAMPLE characters, or -1 when it reads as text. */
export function notTextAt(text: string): number {
  const sample = text.length > NOT_TEXT_SAMPLE ? text.slice(0, NOT_TEXT_SAMPLE) : text;
  return sample.indexOf('\0');
}
