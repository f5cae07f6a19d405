/**
 * A fuzz suite run in a worker thread under the hang guard (guard.ts):
 * `workerData` names the suite and how many cases it tries.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { workerData } from 'node:worker_threads';
import { Networks } from '../../server/src/core/ownership/networks';
import { countsProperty } from './counts';
import { documentProperty } from './documentProperty';
import { reportEnd } from './guard';
import { check } from './property';

export interface Suite {
  /** Documents of every format (with or without the ASN data), or lists whose count is known. */
  readonly name: 'documents' | 'documents with ASN data' | 'counts';
  readonly runs: number;
}

const suite = workerData as Suite;
const root = resolve(__dirname, '..', '..', '..');
if (suite.name === 'counts') reportEnd(check(countsProperty, suite.runs));
else reportEnd(check(documentProperty(suite.name === 'documents' ? undefined : Networks.fromBytes(readFileSync(join(root, 'dist/asn.bin')))), suite.runs));
