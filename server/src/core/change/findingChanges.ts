/**
 * Which findings a change introduces and which it resolves. A finding is
 * known across versions by its scope, its code and the text it is about
 * (the entry, or the stretch of a line), not by its line: a finding the
 * change causes on a line it did not touch (an old entry now covered by a
 * new one) is introduced, and lines that only moved keep theirs.
 */
import type { Finding } from '../analysis/audit';
import type { Version } from './compare';

/** SARIF's words for a result against its baseline. */
export type BaselineState = 'new' | 'unchanged' | 'updated' | 'absent';

export interface FindingChanges {
  /** Every finding of NEW with its state: new, unchanged, or updated (the same finding, said differently). */
  readonly after: readonly { readonly finding: Finding; readonly state: Exclude<BaselineState, 'absent'> }[];
  /** The findings of OLD that NEW no longer has, at OLD's lines. */
  readonly resolved: readonly Finding[];
}

export function compareFindings(before: Version, after: Version): FindingChanges {
  const waiting = new Map<string, Finding[]>();
  for (const finding of before.result.findings) {
    const key = keyOf(before, finding);
    const same = waiting.get(key);
    if (same) same.push(finding);
    else waiting.set(key, [finding]);
  }
  const states = after.result.findings.map((finding) => {
    const earlier = waiting.get(keyOf(after, finding))?.shift();
    const state = !earlier ? 'new' : sayingOf(earlier) === sayingOf(finding) ? 'unchanged' : 'updated';
    return { finding, state } as const;
  });
  const resolved = [...waiting.values()].flat().sort((x, y) => x.line - y.line || x.start - y.start);
  return { after: states, resolved };
}

/** The findings NEW has that OLD had not. */
export function introduced(changes: FindingChanges): Finding[] {
  return changes.after.filter(({ state }) => state === 'new').map(({ finding }) => finding);
}

function keyOf({ document }: Version, finding: Finding): string {
  const scope = finding.entry === undefined ? '' : document.scopes[document.entries.scope[finding.entry]].name;
  return `${scope}\0${finding.code}\0${document.text.slice(finding.start, finding.end)}`;
}

/** What a finding says, without the line numbers it gives of other entries (they move when lines are added above). */
function sayingOf(finding: Finding): string {
  return `${finding.severity} ${finding.message.replace(/\blines? \d+(?:(?:,| and) \d+)*/g, 'line')}`;
}
