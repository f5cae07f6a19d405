/**
 * Random and adversarial documents in every format (documents.ts), checked
 * as checks.ts says, and lists whose count is known (counts.ts), each suite
 * in a worker under the hang guard (guard.ts).
 */
import { test } from 'node:test';
import { runGuarded } from './guard';
import { SEED } from './property';
import type { Suite } from './worker';

const run = (suite: Suite) => runGuarded('worker.js', suite);

test(`fuzz: documents in every format read, audit, edit and fix as afresh (FUZZ_SEED=${SEED})`, () => run({ name: 'documents', runs: 160 }));

test(`fuzz: the same with the ASN data, whose findings bring more fixes (FUZZ_SEED=${SEED})`, () => run({ name: 'documents with ASN data', runs: 30 }));

test(`fuzz: lists in every union format count exactly what they hold, as iprange counts plain IPv4 lists (FUZZ_SEED=${SEED})`, () => run({ name: 'counts', runs: 120 }));
