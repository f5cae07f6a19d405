/**
 * Typing in a list, over the protocol with a real server: after each edit
 * the server audits only what the edit changed (the document's lines it
 * touched, the sweep where the address order changed), and its diagnostics
 * and the status bar's totals must be those of the same text opened afresh. Random edits from a fixed
 * seed: lines typed, deleted, replaced and joined, characters typed inside
 * an entry, in a list whose entries repeat, cover, overlap and adjoin.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { SummaryRequest } from '../../server/src/lsp/protocol';
import { LspClient } from './lspClient';

let client: LspClient;

before(async () => {
  ({ client } = await LspClient.start({ pull: true }));
});

after(async () => {
  await client.stop();
});

/** A small deterministic generator (mulberry32), so that a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ENTRIES = ['8.8.8.{a}', '8.8.8.{a}/{p}', '8.8.8.{a}-8.8.8.{b}', '8.8.{a}.0/24', '8.8.0.0/16', '2001:4860::{a}/126', '10.0.0.0/8', '# a comment', ''];

/** Diagnostics without the document they name (the fresh copy is another document). */
function comparable(diagnostics: Diagnostic[]): unknown[] {
  return diagnostics.map((diagnostic) => ({
    ...diagnostic,
    relatedInformation: diagnostic.relatedInformation?.map(({ location, message }) => ({ range: location.range, message })),
  }));
}

test('after each of 80 random edits, the diagnostics and totals of the edited list are those of its text opened afresh', async () => {
  const next = random(20261203);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)];
  const entry = () => {
    const [a, b] = [Math.floor(next() * 64), Math.floor(next() * 64)];
    return pick(ENTRIES)
      .replace('{a}', String(Math.min(a, b)))
      .replace('{b}', String(Math.max(a, b)))
      .replace('{p}', String(26 + Math.floor(next() * 7)));
  };
  const lines = Array.from({ length: 300 }, entry);
  const uri = 'file:///typing/list.txt';
  await client.open(uri, lines.join('\n'));
  await client.pullDiagnostics(uri);
  for (let version = 2; version < 82; version++) {
    const at = Math.floor(next() * lines.length);
    const kind = pick(['type a line', 'delete a line', 'replace a line', 'join two lines', 'type in an entry'] as const);
    const range = (line: number, from: number, toLine: number, to: number) => ({ start: { line, character: from }, end: { line: toLine, character: to } });
    let change: { range: ReturnType<typeof range>; text: string };
    if (kind === 'type a line') {
      const text = entry();
      change = { range: range(at, 0, at, 0), text: `${text}\n` };
      lines.splice(at, 0, text);
    } else if (kind === 'delete a line' && at + 1 < lines.length) {
      change = { range: range(at, 0, at + 1, 0), text: '' };
      lines.splice(at, 1);
    } else if (kind === 'join two lines' && at + 1 < lines.length) {
      change = { range: range(at, lines[at].length, at + 1, 0), text: ' ' };
      lines.splice(at, 2, `${lines[at]} ${lines[at + 1]}`);
    } else if (kind === 'type in an entry' && lines[at].length > 2) {
      const column = 1 + Math.floor(next() * (lines[at].length - 1));
      const typed = pick(['1', '0', '.', '/2', '9']);
      change = { range: range(at, column, at, column), text: typed };
      lines[at] = lines[at].slice(0, column) + typed + lines[at].slice(column);
    } else {
      const text = entry();
      change = { range: range(at, 0, at, lines[at].length), text };
      lines[at] = text;
    }
    await client.change(uri, version, [change]);
    const edited = await client.pullDiagnostics(uri);
    const freshUri = `file:///typing/fresh-${version}.txt`;
    await client.open(freshUri, lines.join('\n'));
    const fresh = await client.pullDiagnostics(freshUri);
    const [editedSummary, freshSummary] = await Promise.all([uri, freshUri].map((of) => client.connection.sendRequest(SummaryRequest.type, { uri: of })));
    await client.close(freshUri);
    const edit = `after edit ${version - 1} (${kind} at line ${at})`;
    assert.deepEqual(comparable(edited), comparable(fresh), edit);
    assert.deepEqual(editedSummary, freshSummary, edit);
  }
});
