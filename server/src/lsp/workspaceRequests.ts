/**
 * The features over every list of the workspace: Find Blocking Entries
 * (`blocklist/findBlocking`), workspace symbols for an address typed in
 * Ctrl+T, references (every entry, in any list, that names an address of
 * the entry asked about), and the workspace report.
 */
import type { Connection, Location, SymbolInformation, TextDocuments } from 'vscode-languageserver';
import { SymbolKind } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { AddressSet } from '../core/addresses/addressSet';
import { formatAmount } from '../core/addresses/display';
import { IPV6 } from '../core/addresses/family';
import { providerTotals } from '../core/ownership/shares';
import type { AwayPlace } from '../core/analysis/facts';
import type { Addresses } from '../core/analysis/which';
import { columnOf } from '../core/formats/format';
import type { Networks } from '../core/ownership/networks';
import { resolveSpecs } from '../core/ownership/addressSpec';
import type { AnalysisCache } from './analysis';
import { FindBlockingRequest, WorkspaceReportRequest, type BlockingFile, type WorkspaceReportData } from './protocol';
import { runSafe } from './runner';
import type { SettingsCache } from './settings';
import { entryQuery, type FileAnswer, type WorkspaceIndex } from './workspaceIndex';

/** Providers named per list in the workspace report. */
const PROVIDERS_LISTED = 5;

export function registerWorkspaceRequests(
  connection: Connection,
  documents: TextDocuments<TextDocument>,
  index: WorkspaceIndex,
  analyses: AnalysisCache,
  settings: SettingsCache,
  networks: () => Networks | undefined,
): void {
  const resolve = (query: string): Addresses | undefined => {
    const resolved = resolveSpecs([query], networks()?.index);
    return resolved.unknown.length > 0 ? undefined : { ipv4: resolved.ipv4, ipv6: resolved.ipv6 };
  };

  connection.onRequest(FindBlockingRequest.type, (params, token) =>
    runSafe(connection, token, 'Find blocking entries', null, async () => {
      const query = resolve(params.query.trim());
      if (!query) return null;
      return {
        query: params.query.trim(),
        addresses: counts(query),
        files: (await index.which(query)).map(blockingFile),
        indexed: index.size,
      };
    }),
  );

  // Named `QUERY ∈ ENTRY`: the editor keeps only symbols whose name matches what was typed, and the query is what was typed.
  connection.onWorkspaceSymbol((params, token) =>
    runSafe(connection, token, 'Workspace symbols', [], async (): Promise<SymbolInformation[]> => {
      const typed = params.query.trim();
      const query = typed === '' ? undefined : resolve(typed);
      if (!query) return [];
      return (await index.which(query)).flatMap(({ uri, document, answer }) =>
        answer.scopes.flatMap(({ scope, matches }) =>
          matches
            .filter((match) => match.decided > 0n)
            .map((match) => ({
              name: `${typed} ∈ ${match.text}`,
              kind: SymbolKind.Constant,
              location: locationOf(uri, document.text, match.entry, document.entries),
              containerName: `${scope.label} · ${match.role === 'lists' ? 'allows' : match.role} ${formatAmount(match.version, match.decided)}`,
            })),
        ),
      );
    }),
  );

  connection.onRequest(WorkspaceReportRequest.type, (token) =>
    runSafe(connection, token, 'Workspace report', { lists: [], overlap4: [], overlap6: [] }, () => workspaceReport(index, networks())),
  );

  connection.onReferences((params, token) =>
    runSafe(connection, token, 'References', [], async (): Promise<Location[]> => {
      const textDocument = documents.get(params.textDocument.uri);
      if (!textDocument) return [];
      const { document } = analyses.get(textDocument, await settings.get(textDocument.uri));
      const k = document.entries.entryAt(params.position.line, textDocument.offsetAt(params.position));
      if (k < 0) return [];
      const here = (answer: FileAnswer, entry: number) => answer.uri === textDocument.uri && document.entries.line[k] === answer.document.entries.line[entry];
      return (await index.which(entryQuery(document, k))).flatMap((answer) =>
        answer.answer.scopes.flatMap(({ matches }) =>
          matches
            .filter((match) => params.context.includeDeclaration || !here(answer, match.entry))
            .map((match) => locationOf(answer.uri, answer.document.text, match.entry, answer.document.entries)),
        ),
      );
    }),
  );
}

/** Every list's totals and providers, and the addresses each pair blocks in common, per family. */
async function workspaceReport(index: WorkspaceIndex, networks: Networks | undefined): Promise<WorkspaceReportData> {
  const lists = await index.lists();
  const matrix = <A extends number | bigint>(sets: readonly AddressSet<A>[]) => sets.map((a) => sets.map((b) => a.intersection(b).size().toString()));
  return {
    lists: lists.map(({ uri, document, result }) => ({
      uri,
      format: document.format.id,
      ipv4: { entries: result.ipv4.entries, addresses: result.ipv4.addresses.toString() },
      ipv6: { entries: result.ipv6.entries, addresses: result.ipv6.addresses.toString() },
      providers: networks
        ? providerTotals(networks.providers, result.blocked4, AddressSet.empty(IPV6))
            .slice(0, PROVIDERS_LISTED)
            .map((share) => ({ name: share.provider.name, addresses: share.addresses.toString() }))
        : [],
    })),
    overlap4: matrix(lists.map(({ result }) => result.blocked4)),
    overlap6: matrix(lists.map(({ result }) => result.blocked6)),
  };
}

function counts(addresses: Addresses): { ipv4: string; ipv6: string } {
  return { ipv4: addresses.ipv4.size().toString(), ipv6: addresses.ipv6.size().toString() };
}

function blockingFile({ uri, document, answer }: FileAnswer): BlockingFile {
  const table = document.entries;
  return {
    uri,
    format: document.format.id,
    blocked: counts(answer.blocked),
    scopes: answer.scopes.map(({ scope, decided, matches, grantedFirst }) => ({
      label: scope.label,
      role: scope.role,
      decided: counts(decided),
      ...(grantedFirst ? { grantedFirst: grantedMatch(grantedFirst.addresses, grantedFirst.place) } : {}),
      matches: matches.map((match) => {
        const character = columnOf(document.text, table.start[match.entry]);
        return {
          line: match.line,
          character,
          endCharacter: character + table.end[match.entry] - table.start[match.entry],
          text: match.text,
          role: match.role,
          overlap: match.overlap.toString(),
          decided: match.decided.toString(),
        };
      }),
    })),
  };
}

/** What the hosts.allow beside a hosts.deny decides first of the query, and the line that does, as Find Blocking Entries lists an entry. */
function grantedMatch(addresses: Addresses, place: AwayPlace | undefined): NonNullable<BlockingFile['scopes'][number]['grantedFirst']> {
  const granted = addresses.ipv4.size() + addresses.ipv6.size();
  if (!place) return { addresses: counts(addresses) };
  const match = {
    line: place.line,
    character: place.column,
    endCharacter: place.column + place.end - place.start,
    text: place.text,
    role: 'excepts' as const,
    overlap: granted.toString(),
    decided: granted.toString(),
  };
  return { addresses: counts(addresses), uri: place.file, match };
}

function locationOf(uri: string, text: string, k: number, table: FileAnswer['document']['entries']): Location {
  const character = columnOf(text, table.start[k]);
  const end = character + table.end[k] - table.start[k];
  return { uri, range: { start: { line: table.line[k], character }, end: { line: table.line[k], character: end } } };
}
