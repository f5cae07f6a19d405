/**
 * One line model: `\n`, `\r\n` and a lone `\r` break lines in the core as
 * they do in the editor (vscode-languageserver-textdocument counts the three
 * breaks of the LSP). Every fixture of every format, written with each break
 * and with a mixture, reads the same entries, problems, scopes and
 * directives at the same lines and columns as with `\n`, and each line the
 * core gives is the line the editor puts that offset on; an edit read line by
 * line equals a fresh read; Fix all and Aggregate File write the same lists.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { audit } from '../../server/src/core/analysis/audit';
import { formatAddress } from '../../server/src/core/addresses/display';
import { parseDocument, updateDocument, type BlocklistDocument } from '../../server/src/core/document/document';
import { aggregate, fixAll } from '../../server/src/core/fixes/fixes';
import { applyEdits } from '../../server/src/core/fixes/rewrite';
import { columnOf, countLineBreaks, lineStartOf } from '../../server/src/core/formats/format';
import { detectFormat } from '../../server/src/core/formats/registry';
import { looksLikeBlocklist } from '../../server/src/core/document/sniff';

const fixtures = resolve(__dirname, '..', '..', '..', 'test/fixtures/formats');
const fixtureNames = readdirSync(fixtures).filter((file) => !file.endsWith('.expected'));
const LINE_BREAK = /\r\n|\r|\n/;

/** The text's lines joined by `eol`, or by \r, \r\n and \n in turn for 'mixed' (never \r then \n: over an empty line they would make one \r\n). */
function withBreaks(text: string, eol: string): string {
  const lines = text.split(LINE_BREAK);
  return lines.map((line, n) => (n === 0 ? '' : eol === 'mixed' ? ['\n', '\r', '\r\n'][n % 3] : eol) + line).join('');
}

/**
 * What the document read, placed as the editor places it (line:character),
 * after checking that every line the core gives is the editor's line of
 * that offset, and every column the core computes is the editor's.
 */
function placed(document: BlocklistDocument): string[] {
  const { text, entries: t } = document;
  const editor = TextDocument.create('file:///list', 'blocklist', 1, text);
  const at = (offset: number, line: number, what: string) => {
    const position = editor.positionAt(offset);
    assert.equal(line, position.line, `the line of ${what} at offset ${offset}`);
    assert.equal(columnOf(text, offset), position.character, `the column of ${what} at offset ${offset}`);
    assert.equal(lineStartOf(text, offset), editor.offsetAt({ line: position.line, character: 0 }), `the line start of ${what} at offset ${offset}`);
    return `${position.line}:${position.character}`;
  };
  const rows: string[] = [];
  for (let k = 0; k < t.count; k++) {
    const span = `${at(t.start[k], t.line[k], `entry ${k}`)}-${editor.positionAt(t.end[k]).character}`;
    const range = `${formatAddress(t.version[k], t.lo(k))}-${formatAddress(t.version[k], t.hi(k))}`;
    rows.push(`${span} ${t.allow[k] ? 'allow' : 'block'}${t.conditional[k] ? ' conditional' : ''} ${document.scopeNames.name(t.scope[k])} ${range}`);
  }
  for (const p of document.problems) rows.push(`${at(p.start, p.line, p.code)} ${p.code}: ${p.message}`);
  // A fact stands on the line of the rule it opens (an Apache rule's fact is at its section, on its directive's line).
  for (const fact of document.scopeFacts)
    rows.push(`line ${fact.line}, ${editor.positionAt(fact.start).line}:${editor.positionAt(fact.start).character} ${fact.kind} ${fact.scope}`);
  for (const scope of document.scopes) rows.push(`scope ${scope.label} ${scope.evaluation} ${scope.role} line ${scope.line}`);
  const { format, target, allowing, fireholEntries } = document.directives;
  if (format) rows.push(`format ${format.id} at ${at(format.start, format.line, 'the format directive')}`);
  if (target) rows.push(`target ${target.specs.join(' ')} on line ${target.line}`);
  if (allowing) rows.push(`allowing ${allowing.join(' ')}`);
  if (fireholEntries) rows.push(`entries ${fireholEntries.subnets} ${fireholEntries.uniqueIps} at ${at(fireholEntries.start, fireholEntries.line, 'the Entries header')}`);
  return rows;
}

/** Directives of every kind, on lines past the first, over a plain list with problems. */
const DIRECTIVES = '# a list\n# blocklist-format: plain\n# target: AS62041 91.108.4.0/22\n# blocklist-role: allow x\n1.2.3.4/24\n\njunk here\n  010.1.1.1 ; note\n';
const FIREHOL = '#\n# level1\n#\n# Entries : 1 subnets, 256 unique IPs\n#\n1.2.3.0/24\n';

/**
 * The line breaks a format's files read alike with, beside `\n`: every
 * one, but for hosts.deny, whose libwrap knows only `\n`: a lone `\r` makes
 * the file one line it cannot read, and a backslash before `\r\n`
 * continues nothing (test/core/libwrap.test.ts), so the fixture, which
 * continues a rule, reads alike with no other.
 */
function breaksOf(format: string): string[] {
  return format === 'hosts-deny' ? [] : ['\r\n', '\r', 'mixed'];
}

const samples: [name: string, text: string][] = [
  ...fixtureNames.map((name): [string, string] => [name, readFileSync(join(fixtures, name), 'utf8')]),
  ['directives.txt', DIRECTIVES],
  ['header.netset', FIREHOL],
];

for (const [name, text] of samples) {
  test(`${name} reads alike with \\n, \\r\\n, a lone \\r and a mixture of them, at the editor's lines and columns`, () => {
    const baseline = withBreaks(text, '\n');
    const format = detectFormat(name, baseline);
    const expected = placed(parseDocument(baseline, format));
    for (const eol of breaksOf(format.id)) {
      const variant = withBreaks(text, eol);
      assert.equal(detectFormat(name, variant).id, format.id, `detected with ${JSON.stringify(eol)}`);
      assert.deepEqual(placed(parseDocument(variant, format)), expected, `read with ${JSON.stringify(eol)}`);
    }
  });

  test(`${name}: Fix all and Aggregate File write the same lists whatever the line breaks`, () => {
    const normalized = (result: string) => result.split(LINE_BREAK).join('\n');
    const fixed = (variant: string) => {
      const document = parseDocument(variant, detectFormat(name, variant));
      return [fixAll(document, audit(document).facts), aggregate(document)].map((edits) => normalized(applyEdits(variant, edits)));
    };
    const expected = fixed(withBreaks(text, '\n'));
    for (const eol of breaksOf(detectFormat(name, text).id)) assert.deepEqual(fixed(withBreaks(text, eol)), expected, `with ${JSON.stringify(eol)}`);
  });
}

test('the text a directive names stops at any line break', () => {
  for (const eol of ['\n', '\r\n', '\r']) {
    const text = withBreaks(DIRECTIVES, eol);
    const document = parseDocument(text, detectFormat('', text));
    const target = document.directives.target!;
    assert.deepEqual([target.specs, target.line], [['AS62041', '91.108.4.0/22'], 2], JSON.stringify(eol));
    assert.deepEqual(
      target.places.map(({ start, end }) => text.slice(start, end)),
      target.specs,
      JSON.stringify(eol),
    );
    assert.deepEqual(document.directives.allowing, ['x'], JSON.stringify(eol));
  }
});

/** Offsets, lines and what was read: a document as plain data to compare (scopes by name: an edit's ids are its own). */
function snapshot(document: BlocklistDocument) {
  const t = document.entries;
  const scope = (k: number) => document.scopeNames.name(t.scope[k]);
  const entries = Array.from({ length: t.count }, (_, k) => [t.start[k], t.end[k], t.line[k], t.version[k], t.allow[k], scope(k), t.prefix[k], t.lo(k), t.hi(k)]);
  return { entries, problems: document.problems, scopeFacts: document.scopeFacts };
}

const lineByLine = samples.filter(([name, text]) => detectFormat(name, text).lineByLine);

test('an edit read line by line equals a fresh read, whatever breaks the text and the edit hold', () => {
  const breaks = fc.constantFrom('\n', '\r\n', '\r', 'mixed');
  const insert = fc.constantFrom('', '\r', '\n', '\r\n', '\n\r', 'x', '1.2.3.4\r', '\r5.5.5.5', '# c\r\n', ' ');
  fc.assert(
    fc.property(fc.constantFrom(...lineByLine), breaks, fc.nat(), fc.nat(6), insert, ([name, text], eol, at, length, inserted) => {
      const before = withBreaks(text, eol);
      const start = at % (before.length + 1);
      const edited = before.slice(0, start) + inserted + before.slice(Math.min(before.length, start + length));
      const format = detectFormat(name, text);
      const updated = updateDocument(parseDocument(before, format), edited);
      const fresh = parseDocument(edited, format);
      assert.deepEqual(snapshot(updated), snapshot(fresh));
      placed(fresh);
    }),
    { numRuns: 600 },
  );
});

test('countLineBreaks counts the breaks of a range as the editor counts its lines, a \\r\\n once, a \\r whose \\n lies past the range as one', () => {
  const text = fc.array(fc.constantFrom('a', '\r', '\n', '\r\n'), { maxLength: 40 }).map((parts) => parts.join(''));
  /** An offset between a \r and its \n starts no line: a range starts at the \r. */
  const splits = (s: string, offset: number) => offset > 0 && s[offset - 1] === '\r' && s[offset] === '\n';
  fc.assert(
    fc.property(text, fc.nat(), fc.nat(), (s, a, b) => {
      let [start, end] = [a % (s.length + 1), b % (s.length + 1)].sort((x, y) => x - y);
      if (splits(s, start)) start--;
      const count = countLineBreaks(s, start, end);
      assert.equal(count, s.slice(start, end).split(LINE_BREAK).length - 1);
      const editor = TextDocument.create('file:///t', 'plaintext', 1, s);
      if (!splits(s, end)) assert.equal(count, editor.positionAt(end).line - editor.positionAt(start).line);
    }),
    { numRuns: 2000 },
  );
});

test('a plain text with lone \r line breaks, longer than the sample it is judged by, reads as a blocklist', () => {
  const list = Array.from({ length: 3000 }, (_, n) => `10.${n >> 8}.${n & 255}.0/24`).join('\r');
  assert.ok(list.length > 16 * 1024);
  assert.equal(looksLikeBlocklist(list), true);
});
