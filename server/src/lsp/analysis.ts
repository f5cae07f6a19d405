/**
 * Parsing and auditing a document is done once per document version and
 * settings: diagnostics, hovers, fixes, Fix all and the summary all read the
 * same result. The cache also keeps, per document, what the ASN data said of
 * each entry, so that an edit looks up only the entries it touched.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { audit, type AuditResult } from '../core/analysis/audit';
import { EntryIndex } from '../core/analysis/entryIndex';
import { OwnersMemo } from '../core/analysis/ownersMemo';
import { parseDocument, updateDocument, type BlocklistDocument } from '../core/document/document';
import { detectFormat } from '../core/formats/registry';
import type { Networks } from '../core/ownership/networks';
import { quote } from '../core/primitives/excerpt';
import { LineIndexedDocument } from './lineIndexedDocument';
import type { Settings } from './settings';

export interface Analysis {
  readonly document: BlocklistDocument;
  readonly result: AuditResult;
  readonly networks: Networks | undefined;
  /** Which entries overlap which: built on the first hover or fix that asks. */
  readonly index: EntryIndex;
}

interface Cached {
  readonly version: number;
  readonly settings: Settings;
  /** The names of the ownership snapshots the audit could tell of, one per line. */
  readonly snapshots: string;
  readonly analysis: Analysis;
  readonly owners: OwnersMemo;
}

/** The ASN data an analysis can use: the data in use, or an imported snapshot by name (NetworkState). */
export interface NetworkData {
  get(snapshot?: string): Networks | undefined;
  snapshots(): readonly string[];
}

export class AnalysisCache {
  private readonly cache = new Map<string, Cached>();

  /** `data` gives the ASN data, loaded on first use (undefined until the server is initialized); `warn` tells the user of a setting that names no known network. */
  constructor(
    private readonly data: () => NetworkData | undefined,
    private readonly warn: (message: string) => void,
  ) {}

  get(textDocument: TextDocument, settings: Settings): Analysis {
    const cached = this.cache.get(textDocument.uri);
    const text = textDocument.getText();
    // A client may send a change without raising the version: the same version holds only with the same text (the
    // very same string while the document is unchanged, so this costs nothing then).
    if (cached && cached.version === textDocument.version && cached.settings === settings && cached.analysis.document.text === text) return cached.analysis;
    const format = detectFormat(fileName(textDocument.uri), text, settings.format === 'auto' ? undefined : settings.format);
    // After an edit, re-read only the lines it touched when the format allows.
    const previous = cached?.analysis.document;
    // The editor's changes tell what they left as it was since the text of the last analysis: no comparison of the texts.
    const kept = previous && textDocument instanceof LineIndexedDocument ? textDocument.keptSince(previous.text) : undefined;
    const document = previous && previous.format === format ? updateDocument(previous, text, kept) : parseDocument(text, format);
    if (textDocument instanceof LineIndexedDocument) textDocument.mark();
    // The file's `# ownership-data:` snapshot, else the setting's; what the ASN data said is kept only while the data stays.
    const data = this.data();
    const networks = data?.get(document.directives.ownershipData?.name ?? settings.ownershipSnapshot);
    const sameData = cached?.analysis.networks === networks;
    const owners = cached && sameData && document === previous ? cached.owners : OwnersMemo.for(document, sameData ? cached?.owners : undefined);
    const snapshots = data?.snapshots();
    const options = snapshots ? { ...settings.audit, networks: { ...settings.audit.networks, snapshots } } : settings.audit;
    let index: EntryIndex | undefined;
    // After an edit the entries' address order is carried from the previous audit rather than sorted again, and its
    // facts when nothing else the audit reads changed.
    const snapshotNames = (snapshots ?? []).join('\n');
    const facts = cached?.analysis.result.facts;
    const sameAudit = cached?.settings === settings && sameData && cached.snapshots === snapshotNames;
    const before = previous && facts && document !== previous ? { document: previous, order4: facts.order4, order6: facts.order6, ...(sameAudit ? { facts } : {}) } : undefined;
    const result = audit(document, options, networks, owners, before);
    const analysis: Analysis = {
      document,
      result,
      networks,
      get index() {
        return (index ??= EntryIndex.of(document.entries, result.facts));
      },
    };
    this.cache.set(textDocument.uri, { version: textDocument.version, settings, snapshots: snapshotNames, analysis, owners });
    if (networks) this.warnOfUnknownNames(analysis);
    const chosen = settings.ownershipSnapshot;
    if (chosen !== '' && snapshots && !snapshots.includes(chosen)) {
      this.warn(
        `Setting blocklist.ownershipData.snapshot: no ownership snapshot is named ${quote(chosen)}, so lists are audited with the data in use. Import one with "blocklist-audit import-data --name ${chosen} FILE…".`,
      );
    }
    return analysis;
  }

  /** Names in `blocklist.protected`, and in `blocklist.target` where no directive replaces it, that name no known network. */
  private warnOfUnknownNames({ document, result }: Analysis): void {
    const { context } = result.facts;
    const named = (setting: string, names: readonly string[]) => {
      if (names.length === 0) return;
      const effect = setting === 'target' ? 'nothing is measured against the target' : names.length === 1 ? 'it protects nothing' : 'they protect nothing';
      const list = names.map((name) => quote(name)).join(', ');
      this.warn(
        `Setting blocklist.${setting}: ${list} name${names.length === 1 ? 's' : ''} no known network, so ${effect}. Write ASNs (AS62041), providers (telegram, aws…), CIDRs or ranges.`,
      );
    };
    named('protected', context.protected.unknown);
    if (!document.directives.target) named('target', context.unknownTarget);
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }

  /** After the network data changed: every document is audited again on its next request. */
  clear(): void {
    this.cache.clear();
  }
}

/** The last path segment of a URI, decoded: what format detection looks at. */
function fileName(uri: string): string {
  const path = uri.replace(/[?#].*$/, '');
  return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1));
}
