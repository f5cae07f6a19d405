/**
 * Names and file text inside Markdown (hovers, the report's export): written
 * so that they read as the text they are. An organisation named
 * `BRASIL TECPAR | AMIGO | AVATO` would otherwise split a table row, and
 * `E*TRADE`, `regio[.NET]` or a `<` start emphasis, links or HTML.
 */

/** Characters that open or close inline Markdown (CommonMark and GitHub's tables) wherever they stand. */
const INLINE = /[\\`*_~[\]<>|&]/g;

/** `text` as Markdown that renders as `text`, on one line. */
export function markdownText(text: string): string {
  return text.replace(INLINE, '\\$&').replace(/[\r\n]+/g, ' ');
}
