/**
 * "Update Ownership Data" for the server: the source the settings name
 * (`blocklist.ownershipData.url` and `.format`), the request, and the
 * network data reloaded once the update is in place. Where the data is kept
 * and how it is fetched is the runtime's.
 */
import { LSPErrorCodes, ResponseError, type CancellationToken, type Connection, type WorkDoneProgressParams } from 'vscode-languageserver';
import { ASN_DATASET_FORMATS, ASN_DATASETS, DEFAULT_OWNERSHIP_FORMAT, DEFAULT_OWNERSHIP_URL, type AsnDatasetFormat } from '../core/ownership/asnDatasets';
import type { AsnIndex } from '../core/ownership/asnIndex';
import { dayInFileName, SNAPSHOT_FORMATS, snapshotFormatOf } from '../core/ownership/snapshots';
import { ImportOwnershipSnapshotRequest, UpdateOwnershipDataRequest, type UpdateOwnershipDataResult } from './protocol';
import type { OwnershipSource, OwnershipStore } from './runtime';

/** `blocklist.ownershipData`: { url, format }; a missing or wrong value is its default. */
export function ownershipSource(settings: { url?: unknown; format?: unknown } | null | undefined): OwnershipSource {
  const url = typeof settings?.url === 'string' && settings.url.trim().length > 0 ? settings.url.trim() : DEFAULT_OWNERSHIP_URL;
  const format = ASN_DATASET_FORMATS.find((known) => known === settings?.format) ?? DEFAULT_OWNERSHIP_FORMAT;
  return { url, format };
}

/**
 * Registers the request; `onChange` runs once new data is in place. The
 * update reports its phase to the request's `workDoneToken`; cancelling the
 * request stops the downloads and keeps the data in use.
 */
export function registerOwnershipRequests(
  connection: Connection,
  store: OwnershipStore | undefined,
  sourceOf: () => Promise<OwnershipSource>,
  today: () => AsnIndex | undefined,
  onChange: () => void,
): void {
  const update = async (params: WorkDoneProgressParams, token: CancellationToken): Promise<UpdateOwnershipDataResult | ResponseError<void>> => {
    if (!store) return new ResponseError<void>(LSPErrorCodes.RequestFailed, 'This server keeps no ownership data of its own: it uses the data it was built with.');
    const source = await sourceOf();
    const progress = connection.window.attachWorkDoneProgress(params.workDoneToken);
    const controller = new AbortController();
    if (token.isCancellationRequested) controller.abort();
    const cancelling = token.onCancellationRequested(() => controller.abort());
    progress.begin('Updating ownership data', undefined, `Downloading ${filesOf(source.format)}`);
    try {
      const result = await store.update(source, controller.signal);
      onChange();
      return result;
    } catch (error) {
      if (token.isCancellationRequested) return new ResponseError<void>(LSPErrorCodes.RequestCancelled, 'Update cancelled: the data in use stays.');
      return new ResponseError<void>(LSPErrorCodes.RequestFailed, error instanceof Error ? error.message : String(error));
    } finally {
      cancelling.dispose();
      progress.done();
    }
  };
  connection.onRequest(UpdateOwnershipDataRequest.type, (params, token) => update(params ?? {}, token));
  connection.onRequest(ImportOwnershipSnapshotRequest.type, async ({ files, name, format, date }) => {
    if (!store) return new ResponseError<void>(LSPErrorCodes.RequestFailed, 'This server keeps no ownership data of its own: it cannot keep a snapshot.');
    const first = files[0] ?? '';
    const [knownFormat, day] = [format ?? snapshotFormatOf(first), date ?? dayInFileName(first)];
    if (!knownFormat) return new ResponseError<void>(LSPErrorCodes.RequestFailed, `The file name does not say its format: give one of ${SNAPSHOT_FORMATS.join(', ')}.`);
    if (!day) return new ResponseError<void>(LSPErrorCodes.RequestFailed, 'The file name has no day: give the day the data describes (YYYY-MM-DD).');
    try {
      const result = await store.importSnapshot({ files, format: knownFormat, date: day, name: name ?? day }, today());
      onChange();
      return result;
    } catch (error) {
      return new ResponseError<void>(LSPErrorCodes.RequestFailed, error instanceof Error ? error.message : String(error));
    }
  });
}

function filesOf(format: AsnDatasetFormat): string {
  const { ipv4, ipv6 } = ASN_DATASETS[format].files;
  return `${ipv4} and ${ipv6}`;
}
