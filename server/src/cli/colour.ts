/**
 * Colour in `check`'s text output: plain ANSI escapes (SGR), used only where
 * a person reads them. Piped output stays plain for tools and files.
 */
import type { Severity } from '../core/analysis/findingCodes';

/** Wraps text in an escape and its reset, or leaves it as it is. */
export type Paint = (text: string) => string;

/** How each part of the output is painted. */
export interface Palette {
  readonly file: Paint;
  /** line:column and the finding's code: read after the message. */
  readonly muted: Paint;
  readonly severity: Readonly<Record<Severity, Paint>>;
  /** The closing count, by the worst severity it counts. */
  readonly summary: Readonly<Record<'error' | 'warning', Paint>>;
}

const unpainted: Paint = (text) => text;

/** Select Graphic Rendition `on` … `off`: each attribute is turned off by its own code, so nested paints do not end each other. */
const sgr =
  (on: string, off: string): Paint =>
  (text) =>
    `\x1b[${on}m${text}\x1b[${off}m`;

const RED = sgr('31', '39');
const YELLOW = sgr('33', '39');

export const PLAIN: Palette = {
  file: unpainted,
  muted: unpainted,
  severity: { error: unpainted, warning: unpainted, information: unpainted, hint: unpainted },
  summary: { error: unpainted, warning: unpainted },
};

export const ANSI: Palette = {
  file: sgr('4', '24'),
  muted: sgr('2', '22'),
  severity: { error: RED, warning: YELLOW, information: sgr('34', '39'), hint: unpainted },
  summary: { error: sgr('1;31', '39;22'), warning: sgr('1;33', '39;22') },
};

/**
 * Colour for a terminal, none when piped. NO_COLOR (any value but empty)
 * turns it off, whatever else is set (no-color.org); otherwise FORCE_COLOR
 * turns it on, piped too, unless it is `0` or `false` (as Node and chalk
 * read it); a terminal that says it is dumb gets none.
 */
export function wantsColour(isTerminal: boolean, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  return isTerminal && env.TERM !== 'dumb';
}
