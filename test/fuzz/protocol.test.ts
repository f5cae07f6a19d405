/**
 * Random edit sequences over the protocol: a real server (dist/server.js
 * over stdio) gets a document and then incremental didChange edits, several
 * changes a message now and then; after each, a second server opens the
 * same text afresh, and both must give the same diagnostics, the same hover
 * and the same code actions. Every answer comes within ten times the 1 s
 * budget, and neither server logs an error.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import type { CodeAction, Diagnostic, Hover, Range, TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { fuzzDocument, splice, type Splice } from './documents';
import { check, SEED } from './property';
import { FuzzServer } from './server';

/** Protocol cases keep to this much of a document: each step sends it whole to the second server. */
const MAX_LENGTH = 100_000;

/** A change of one didChange message: a splice of the text, sent as a range or (now and then) as the whole new text. */
type Change = Splice & { readonly whole: boolean };

const change: fc.Arbitrary<Change> = fc.tuple(splice, fc.nat(9)).map(([edit, n]) => ({ ...edit, whole: n === 0 }));
/** Each step: the changes of one message, whether it repeats the version (as a buggy client may), and where to hover and ask for code actions. */
const steps = fc.array(
  fc.record({
    changes: fc.array(change, { minLength: 1, maxLength: 3 }),
    sameVersion: fc.nat(9).map((n) => n === 0),
    hover: fc.nat(),
    range: fc.tuple(fc.nat(), fc.nat(3)),
  }),
  { minLength: 1, maxLength: 5 },
);

/** Diagnostics, then a hover (at the start of one of them, or anywhere: `hover` chooses) and the code actions of `range`. */
async function answers(
  server: FuzzServer,
  uri: string,
  document: TextDocument,
  hover: number,
  range: Range,
): Promise<{ diagnostics: Diagnostic[]; hover: Hover | null; actions: CodeAction[] }> {
  const diagnostics = await server.ask('diagnostics', server.client.pullDiagnostics(uri));
  const on = hover % 2 === 0 && diagnostics.length > 0 ? diagnostics[(hover >> 1) % diagnostics.length] : undefined;
  const at = on ? on.range.start : document.positionAt(hover >> 1);
  const hovered = await server.ask('hover', server.client.hover(uri, at.line, at.character));
  // An entry's hover is about an entry of the line asked about, as the editor counts lines; on an entry's finding, about that entry.
  if (hovered?.range) assert.equal(hovered.range.start.line, at.line, `the hover at ${at.line}:${at.character} is about an entry of another line`);
  if (on?.data !== undefined) assert.deepEqual(hovered?.range, on.range, `the hover on the entry of ${JSON.stringify(on.message)} is about something else`);
  const actions = await server.ask<CodeAction[]>(
    'code actions',
    server.client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics } }),
  );
  server.assertNoErrors();
  return { diagnostics, hover: hovered, actions };
}

let incremental: FuzzServer;
let fresh: FuzzServer;
let cases = 0;

before(async () => {
  [incremental, fresh] = await Promise.all([FuzzServer.start(), FuzzServer.start()]);
});

// A server that stopped answering is ended rather than waited for.
after(async () => {
  await Promise.all([incremental.stop(), fresh.stop()]);
});

/**
 * `changes` applied to `document` one after the other, as the protocol
 * applies a message's changes, with each as the protocol sends it.
 */
function edit(document: TextDocument, changes: readonly Change[], version: number): { document: TextDocument; sent: TextDocumentContentChangeEvent[] } {
  const copy = (text: string) => TextDocument.create(document.uri, document.languageId, version, text);
  const sent: TextDocumentContentChangeEvent[] = [];
  let current = copy(document.getText());
  for (const { at, remove, insert, whole } of changes) {
    const text = current.getText();
    const start = at % (text.length + 1);
    const range = { start: current.positionAt(start), end: current.positionAt(Math.min(text.length, start + remove)) };
    // TextDocument.update changes the document it is given.
    const event = whole ? { text: TextDocument.update(copy(text), [{ range, text: insert }], 0).getText() } : { range, text: insert };
    sent.push(event);
    current = TextDocument.update(current, [event], current.version);
  }
  const text = current.getText();
  return { document: copy(text), sent };
}

test(`fuzz: incremental edits over the protocol answer as a fresh open of the same text (FUZZ_SEED=${SEED})`, { timeout: 600_000 }, () =>
  check(
    fc.asyncProperty(fuzzDocument, steps, async (input, plan) => {
      const name = input.name || 'untitled';
      const uri = `file:///fuzz/${++cases}/${name}`;
      const first = input.text.slice(0, MAX_LENGTH);
      let document = TextDocument.create(uri, 'blocklist', 1, first);
      await incremental.client.open(uri, first);
      try {
        for (const step of plan) {
          const edited = edit(document, step.changes, document.version + (step.sameVersion ? 0 : 1));
          document = edited.document;
          await incremental.client.change(uri, document.version, edited.sent);
          const text = document.getText();
          await fresh.client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
          await fresh.client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'blocklist', version: document.version, text } });
          const hover = step.hover % (2 * text.length + 2);
          const line = document.positionAt(step.range[0] % (text.length + 1)).line;
          const range = { start: { line, character: 0 }, end: { line: line + step.range[1], character: 0 } };
          const expected = await answers(fresh, uri, document, hover, range);
          assert.deepEqual(await answers(incremental, uri, document, hover, range), expected, `after the edits, to:\n${JSON.stringify(text)}`);
        }
      } finally {
        await incremental.client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
        await fresh.client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
      }
    }),
    30,
  ),
);
