/**
 * A document against a revision: the baseline the client reads through git
 * (`blocklist/setBaseline`), the change report's data (`blocklist/change`),
 * the net change in the summary, and the totals after each commit of the
 * list's history (`blocklist/history`).
 */
import type { Connection, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { audit } from '../core/analysis/audit';
import { changeData, familyDeltas } from '../core/change/changeData';
import { parseDocument } from '../core/document/document';
import type { AnalysisCache } from './analysis';
import type { Baselines, Since } from './baselines';
import { BaselineNotification, ChangeRequest, HistoryRequest, type SummaryResult } from './protocol';
import { runSafe } from './runner';
import type { SettingsCache } from './settings';

export function registerChangeRequests(
  connection: Connection,
  documents: TextDocuments<TextDocument>,
  analyses: AnalysisCache,
  baselines: Baselines,
  settings: SettingsCache,
): void {
  connection.onNotification(BaselineNotification.type, (params) => baselines.set(params.uri, params.label, params.text ?? undefined));

  connection.onRequest(ChangeRequest.type, (params, token) =>
    runSafe(connection, token, 'Change', null, async () => {
      const textDocument = documents.get(params.uri);
      if (!textDocument) return null;
      const settingsOf = await settings.get(textDocument.uri);
      const analysis = analyses.get(textDocument, settingsOf);
      const since = baselines.since(textDocument.uri, analysis, settingsOf);
      return since ? changeData(since.label, since.change, analysis.networks) : null;
    }),
  );

  connection.onRequest(HistoryRequest.type, (params, token) =>
    runSafe(connection, token, 'History', null, async () => {
      const textDocument = documents.get(params.uri);
      if (!textDocument) return null;
      const settingsOf = await settings.get(textDocument.uri);
      const { format } = analyses.get(textDocument, settingsOf).document;
      return params.versions.map(({ hash, date, subject, text }) => {
        const document = parseDocument(text, format);
        // The totals only: no finding, no owner.
        const { ipv4, ipv6 } = audit(document, { ...settingsOf.audit, maxFindings: 0 });
        return { hash, date, subject, ipv4: ipv4.addresses.toString(), ipv6: ipv6.addresses.toString(), entries: ipv4.entries + ipv6.entries };
      });
    }),
  );
}

/** The summary's net change since the document's baseline, when it has one. */
export function sinceSummary(since: Since | undefined): Pick<SummaryResult, 'since'> {
  return since ? { since: { label: since.label, ...familyDeltas(since.change) } } : {};
}
