/**
 * What each open list is compared with: its text at a revision (HEAD unless
 * the user chose another), which the client reads through the editor's git
 * support and sends. From it come the hover's "added since HEAD", the status
 * bar's net change and the change report; each is computed once per version
 * of the document.
 */
import { audit } from '../core/analysis/audit';
import { compareVersions, type Change, type Version } from '../core/change/compare';
import { parseDocument } from '../core/document/document';
import type { Analysis } from './analysis';
import type { Settings } from './settings';

/** A document's change since its baseline. */
export interface Since {
  /** What it is compared with: `HEAD`, a branch, a commit. */
  readonly label: string;
  readonly change: Change;
  /** NEW's lines that hold an entry the baseline did not have (added, or the new side of a changed entry). */
  readonly addedLines: ReadonlySet<number>;
}

interface Baseline {
  readonly label: string;
  readonly text: string;
  /** The baseline read and audited as the document was, kept while its format and settings stay. */
  read?: { readonly format: Analysis['document']['format']; readonly settings: Settings; readonly version: Version };
  /** The change for the last analysis asked about. */
  since?: { readonly analysis: Analysis; readonly since: Since };
}

export class Baselines {
  private readonly baselines = new Map<string, Baseline>();

  /** `text` is the document at `label` ('' for a file that revision does not have); undefined: compare with nothing. */
  set(uri: string, label: string, text: string | undefined): void {
    if (text === undefined) this.baselines.delete(uri);
    else this.baselines.set(uri, { label, text });
  }

  forget(uri: string): void {
    this.baselines.delete(uri);
  }

  /** The change of the document `analysis` is of since its baseline, or undefined when it has none. */
  since(uri: string, analysis: Analysis, settings: Settings): Since | undefined {
    const baseline = this.baselines.get(uri);
    if (!baseline) return undefined;
    if (baseline.since?.analysis === analysis) return baseline.since.since;
    const { format } = analysis.document;
    if (baseline.read?.format !== format || baseline.read.settings !== settings) {
      const document = parseDocument(baseline.text, format);
      baseline.read = { format, settings, version: { document, result: audit(document, settings.audit, analysis.networks) } };
    }
    const change = compareVersions(baseline.read.version, analysis);
    const addedLines = new Set<number>();
    for (const scope of change.scopes) {
      for (const entry of scope.entriesAdded) addedLines.add(entry.line);
      for (const entry of scope.entriesChanged) addedLines.add(entry.after.line);
    }
    const since = { label: baseline.label, change, addedLines };
    baseline.since = { analysis, since };
    return since;
  }
}
