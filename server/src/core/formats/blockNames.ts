/**
 * Scope names of nested blocks (nginx's `location`s, Apache's sections): the
 * path of blocks, `server › location /api`. Deeper than NAMED_LEVELS, a name
 * leaves out the levels between the first ones and its own and says its
 * line: names stay short however deep a file nests, so that reading a file
 * nested thousands deep takes time and memory in proportion to its length.
 */

const NAMED_LEVELS = 8;

/** The scope name of a block opened by `directive` on `line` inside the blocks `open` names, outermost first. */
export function blockName(open: readonly string[], directive: string, line: number): string {
  if (open.length === 0) return directive;
  if (open.length <= NAMED_LEVELS) return `${open[open.length - 1]} › ${directive}`;
  return `${open[NAMED_LEVELS - 1]} › … › ${directive} (line ${line + 1})`;
}
