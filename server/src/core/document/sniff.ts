/** Whether a text of unknown kind (a `.txt` file, say) is a blocklist. */
import { parseDocument } from './document';
import { lineStartOf } from '../formats/format';
import { detectFormat, parseFormatDirective } from '../formats/registry';

const SAMPLE_CHARACTERS = 16 * 1024;
/** Share of the sampled entry lines that must read as entries. */
const THRESHOLD = 0.9;
const MINIMUM_ENTRIES = 3;

/** True when the text carries a format directive, or at least 90 % of its first entry lines are entries. */
export function looksLikeBlocklist(text: string): boolean {
  const sample = text.slice(0, SAMPLE_CHARACTERS);
  if (parseFormatDirective(sample)?.format) return true;
  // The last line of a cut sample may be cut short.
  const whole = sample.length < text.length ? sample.slice(0, lineStartOf(sample, sample.length)) : sample;
  const document = parseDocument(whole, detectFormat('', whole));
  const fatal = document.problems.filter((p) => p.code === 'invalid-entry').length;
  const entries = document.entries.count;
  return entries >= MINIMUM_ENTRIES && entries / (entries + fatal) >= THRESHOLD;
}
