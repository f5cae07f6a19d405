/** Custom requests between the Blocklist Auditor client and server, one namespace each. */
import { RequestType } from 'vscode-languageserver-protocol';

/** Totals of one document with big numbers as decimal strings (JSON has no bigint). */
export interface SummaryResult {
  readonly format: string;
  readonly ipv4: { readonly entries: number; readonly addresses: string };
  readonly ipv6: { readonly entries: number; readonly addresses: string };
  readonly duplicates: number;
  readonly exceptions: number;
  readonly problems: number;
}

/** Sent by the client for the status bar and the report: the document's totals. */
export namespace SummaryRequest {
  export const method = 'blocklist/summary';
  export const type = new RequestType<{ readonly uri: string }, SummaryResult | null, void>(method);
}
