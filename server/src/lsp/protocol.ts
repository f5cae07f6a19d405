/** Custom requests between the Blocklist Auditor client and server, one namespace each. */
import { NotificationType, RequestType, RequestType0, type WorkDoneProgressParams } from 'vscode-languageserver-protocol';
import type { ChangeData, FamilyDelta } from '../core/change/changeData';
import type { ReportData } from '../core/analysis/report';
import type { DataStatus } from '../core/ownership/dataAbout';
import type { SnapshotFormat } from '../core/ownership/snapshots';
import type { OwnershipUpdate, RefreshReport } from './runtime';

/** How the server in a web worker (VS Code for the Web) and its client start every message about what cannot be done there. */
export const NOT_IN_WEB = 'Not available in VS Code for the Web';

/** Totals of one document with big numbers as decimal strings (JSON has no bigint). */
export interface SummaryResult {
  readonly format: string;
  readonly ipv4: { readonly entries: number; readonly addresses: string };
  readonly ipv6: { readonly entries: number; readonly addresses: string };
  readonly duplicates: number;
  readonly exceptions: number;
  readonly problems: number;
  /** The known providers with the most blocked IPv4 addresses (empty without ASN data, or for lists too large to sum on every change). */
  readonly providers: readonly { readonly name: string; readonly addresses: string }[];
  /** Which ownership data the audit used and how old it is (absent without ASN data). */
  readonly ownershipData?: DataStatus;
  /** What the document blocks more and less than at its baseline (absent without one). */
  readonly since?: { readonly label: string; readonly ipv4: FamilyDelta; readonly ipv6: FamilyDelta };
}

/** Sent by the client for the status bar and the report: the document's totals. */
export namespace SummaryRequest {
  export const method = 'blocklist/summary';
  export const type = new RequestType<{ readonly uri: string }, SummaryResult | null, void>(method);
}

/** What a feed refresh did: feeds updated (with their range counts) and feeds that failed (their last good copy is kept). */
export type RefreshFeedsResult = RefreshReport;

/**
 * Sent by the client's "Refresh Provider Ranges" command: download every provider feed, then re-audit the open lists.
 * Progress after each feed goes to `workDoneToken` ($/progress); cancelling the request stops the downloads still running.
 */
export namespace RefreshFeedsRequest {
  export const method = 'blocklist/refreshFeeds';
  export const type = new RequestType<WorkDoneProgressParams, RefreshFeedsResult, void>(method);
}

/** Sent by the client's "Import Provider Feed File" command: use a feed file downloaded by hand (Azure's weekly Service Tags, say). */
export namespace ImportFeedRequest {
  export const method = 'blocklist/importFeed';
  export const type = new RequestType<{ readonly source: string; readonly file: string }, { readonly ranges: number }, void>(method);
}

/** What an ownership data update put in place: the data, of what day, and its size. */
export type UpdateOwnershipDataResult = OwnershipUpdate;

/**
 * Sent by the client's "Update Ownership Data" command: download the dataset `blocklist.ownershipData` names, check it,
 * use it from then on and re-audit the open lists. Progress goes to `workDoneToken`; a failure (or cancelling the request)
 * leaves the data in use, and the error says why in one line.
 */
export namespace UpdateOwnershipDataRequest {
  export const method = 'blocklist/updateOwnershipData';
  export const type = new RequestType<WorkDoneProgressParams, UpdateOwnershipDataResult, void>(method);
}

/**
 * Compiles ownership data of a chosen day (`files`: one per family) into the
 * snapshot `name`, which `# ownership-data: NAME` and the setting
 * `blocklist.ownershipData.snapshot` choose. The format, the day and the
 * name default to what the first file's name says (`.pfx2as`, `20180415`).
 */
export namespace ImportOwnershipSnapshotRequest {
  export const method = 'blocklist/importOwnershipSnapshot';
  export const type = new RequestType<
    { readonly files: readonly string[]; readonly name?: string; readonly format?: SnapshotFormat; readonly date?: string },
    UpdateOwnershipDataResult,
    void
  >(method);
}

/** Sent by the client for the audit report webview: everything the report shows about one document. */
export namespace ReportRequest {
  export const method = 'blocklist/report';
  export const type = new RequestType<{ readonly uri: string }, ReportData | null, void>(method);
}

/**
 * Sent by the client, which reads files through the editor's git support: what a document is compared with, its text at
 * revision `label` ('' when that revision has no such file), or null to compare it with nothing.
 */
export namespace BaselineNotification {
  export const method = 'blocklist/setBaseline';
  export const type = new NotificationType<{ readonly uri: string; readonly label: string; readonly text: string | null }>(method);
}

/** Sent by the client for "Blocklist: Compare with HEAD": the document's change since its baseline, or null without one. */
export namespace ChangeRequest {
  export const method = 'blocklist/change';
  export const type = new RequestType<{ readonly uri: string }, ChangeData | null, void>(method);
}

/** A version of a document in its history, as the client read it through git. */
export interface HistoryVersion {
  readonly hash: string;
  /** ISO 8601. */
  readonly date: string;
  readonly subject: string;
  readonly text: string;
}

/** What the document blocked after one commit. */
export interface HistoryPoint {
  readonly hash: string;
  readonly date: string;
  readonly subject: string;
  readonly ipv4: string;
  readonly ipv6: string;
  readonly entries: number;
}

/** Sent by the client for the report's history chart: each version read in the document's format, the totals after each. */
export namespace HistoryRequest {
  export const method = 'blocklist/history';
  export const type = new RequestType<{ readonly uri: string; readonly versions: readonly HistoryVersion[] }, readonly HistoryPoint[] | null, void>(method);
}

/** An entry that names an address of the query, as Find Blocking Entries lists it. */
export interface BlockingMatch {
  /** Zero-based. */
  readonly line: number;
  readonly character: number;
  readonly endCharacter: number;
  readonly text: string;
  /** blocks, excepts, lists (an allowlist's entry) or conditional (a rule with conditions). */
  readonly role: 'blocks' | 'excepts' | 'lists' | 'conditional';
  /** Addresses of the query it names, and of those the ones it decides under its scope's rule. */
  readonly overlap: string;
  readonly decided: string;
}

export interface BlockingFile {
  readonly uri: string;
  readonly format: string;
  /** The query's addresses the file blocks. */
  readonly blocked: { readonly ipv4: string; readonly ipv6: string };
  readonly scopes: readonly {
    readonly label: string;
    readonly role: 'block' | 'allow';
    readonly decided: { readonly ipv4: string; readonly ipv6: string };
    readonly matches: readonly BlockingMatch[];
    /** A hosts.deny daemon's: the query's addresses the hosts.allow beside it decides first, and its first line that does. */
    readonly grantedFirst?: { readonly addresses: { readonly ipv4: string; readonly ipv6: string }; readonly uri?: string; readonly match?: BlockingMatch };
  }[];
}

export interface FindBlockingResult {
  readonly query: string;
  readonly addresses: { readonly ipv4: string; readonly ipv6: string };
  /** The lists with an entry that names any of the query, by URI. */
  readonly files: readonly BlockingFile[];
  /** How many files the workspace index holds. */
  readonly indexed: number;
}

/**
 * Sent by "Blocklist: Find Blocking Entries…" (and usable from any LSP client): every entry of every list of the workspace
 * and every open blocklist that names an address of `query` (an address, CIDR, range, AS123 or a provider), with what it
 * decides; null when the query names nothing.
 */
export namespace FindBlockingRequest {
  export const method = 'blocklist/findBlocking';
  export const type = new RequestType<{ readonly query: string }, FindBlockingResult | null, void>(method);
}

/** One list of the workspace report: what it blocks, per family, and the providers it blocks most of. */
export interface WorkspaceList {
  readonly uri: string;
  readonly format: string;
  readonly ipv4: { readonly entries: number; readonly addresses: string };
  readonly ipv6: { readonly entries: number; readonly addresses: string };
  /** IPv4, most first (empty without ASN data). */
  readonly providers: readonly { readonly name: string; readonly addresses: string }[];
}

/** Every list of the workspace index, and how much each pair blocks in common. */
export interface WorkspaceReportData {
  readonly lists: readonly WorkspaceList[];
  /** `overlap4[i][j]`: the IPv4 addresses list i and list j both block (the diagonal: what list i blocks). */
  readonly overlap4: readonly (readonly string[])[];
  readonly overlap6: readonly (readonly string[])[];
}

/** Sent by "Blocklist: Show Workspace Report". */
export namespace WorkspaceReportRequest {
  export const method = 'blocklist/workspaceReport';
  export const type = new RequestType0<WorkspaceReportData, void>(method);
}

/**
 * The workspace's files for the server in a web worker (VS Code for the Web), which has no file system: its client lists
 * and reads them through `vscode.workspace`. From the server to the client, over postMessage only, so bytes come as they
 * are (a Uint8Array), not as JSON.
 */
export namespace ListFilesRequest {
  export const method = 'blocklist/listFiles';
  /** Every file under `folder` but version-control and dependency folders (SKIPPED_FOLDERS), with its size in bytes. */
  export const type = new RequestType<{ readonly folder: string }, { readonly uri: string; readonly size: number }[], void>(method);
}

export namespace ReadFileRequest {
  export const method = 'blocklist/readFile';
  export const type = new RequestType<{ readonly uri: string }, Uint8Array, void>(method);
}

/** Folders no list lives in, and that can hold hundreds of thousands of files: the workspace index never lists them. */
export const SKIPPED_FOLDERS: readonly string[] = ['.git', '.hg', '.svn', 'node_modules'];
