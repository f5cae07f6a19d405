/**
 * The work of an ownership data update once both files are downloaded:
 * unpack them when gzipped, read their rows, compile the index and check it.
 * Seconds of work on a whole dataset, so it runs in a worker thread
 * (ownershipWorker.ts) and the server keeps answering meanwhile.
 */
import { gunzipSync } from 'node:zlib';
import { checkAsnIndex, type AsnDataChecks } from '../core/ownership/asnChecks';
import { compileAsnIndex, type CompiledAsnIndex } from '../core/ownership/asnCompile';
import { ASN_DATASETS, type AsnDatasetFormat } from '../core/ownership/asnDatasets';
import { AsnIndex } from '../core/ownership/asnIndex';
import type { DataAbout } from '../core/ownership/dataAbout';
import { formatCount } from '../core/primitives/formatCount';

/** What the worker is given: the downloaded files, what the data is, and what it must pass. */
export interface CompileJob {
  readonly format: AsnDatasetFormat;
  readonly ipv4: Uint8Array;
  readonly ipv6: Uint8Array;
  readonly about: DataAbout;
  readonly checks: AsnDataChecks;
  /** The most bytes a gzipped file may unpack to. */
  readonly maxBytes: number;
}

/** What it answers: the checked index, or why there is none (one line, quoting nothing of the files). */
export type CompileOutcome = { readonly index: CompiledAsnIndex } | { readonly reason: string };

export function compileDownload({ format, ipv4, ipv6, about, checks, maxBytes }: CompileJob): CompileOutcome {
  const dataset = ASN_DATASETS[format];
  const text = (file: string, bytes: Uint8Array) =>
    (dataset.gzipped ? gunzip(file, bytes, maxBytes) : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)).toString('utf8');
  try {
    const rows = {
      ipv4: dataset.read(text(dataset.files.ipv4, ipv4), 4, dataset.files.ipv4),
      ipv6: dataset.read(text(dataset.files.ipv6, ipv6), 6, dataset.files.ipv6),
    };
    const index = compileAsnIndex(about, rows);
    checkAsnIndex(AsnIndex.fromBytes(index.bytes), checks);
    return { index };
  } catch (error) {
    return { reason: error instanceof Error ? error.message : String(error) };
  }
}

/** The bytes of gzipped `file`, refused when they are not a whole gzip stream or unpack to more than `maxBytes`. */
export function gunzip(file: string, bytes: Uint8Array, maxBytes: number): Buffer {
  try {
    return gunzipSync(bytes, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new Error(`${file} unpacks to more than the ${formatCount(maxBytes)} bytes allowed.`);
    throw new Error(`${file} is not a whole gzip file (${error instanceof Error ? error.message : String(error)}).`);
  }
}
