/**
 * What is text: bytes decoded by their byte-order mark (UTF-16 LE or BE,
 * UTF-8's skipped) or as UTF-8, the corpus's Windows-1251 registry dumps
 * read as before; a byte-order mark left in a document's text (as editors
 * that keep it hand it over) is no part of its first line, and fixes keep
 * it; a text with a NUL character in its first 8 KiB is one problem and
 * nothing else.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { audit } from '../../server/src/core/analysis/audit';
import { EntryIndex } from '../../server/src/core/analysis/entryIndex';
import type { AddressSet } from '../../server/src/core/addresses/addressSet';
import { AddressCollector } from '../../server/src/core/document/addressCollector';
import { parseDocument, updateDocument, type BlocklistDocument } from '../../server/src/core/document/document';
import { decodeText, NOT_TEXT_SAMPLE } from '../../server/src/core/document/encoding';
import { aggregate, fixAll, fixesForEntry } from '../../server/src/core/fixes/fixes';
import { applyEdits } from '../../server/src/core/fixes/rewrite';
import type { Format } from '../../server/src/core/formats/format';
import { detectFormat, formatById } from '../../server/src/core/formats/registry';

const root = resolve(__dirname, '..', '..', '..');
const fixtures = join(root, 'test/fixtures/formats');
const corpus = process.env.BLOCKLIST_CORPUS ?? resolve(root, '..', 'shared', 'corpus');
const BOM = '\uFEFF';
const plain = formatById('plain')!;

const bytes = (...values: number[]) => Uint8Array.from(values);
const utf16 = (text: string, bigEndian: boolean) => {
  const out = [bigEndian ? 0xfe : 0xff, bigEndian ? 0xff : 0xfe];
  for (let i = 0; i < text.length; i++) {
    const [high, low] = [text.charCodeAt(i) >> 8, text.charCodeAt(i) & 0xff];
    out.push(...(bigEndian ? [high, low] : [low, high]));
  }
  return Uint8Array.from(out);
};

// oxfmt-ignore
const decodings: [name: string, bytes: Uint8Array, text: string][] = [
  ['UTF-8', new TextEncoder().encode('1.2.3.4 # Köln\n'), '1.2.3.4 # Köln\n'],
  ['UTF-8 after its byte-order mark', bytes(0xef, 0xbb, 0xbf, 0x31, 0x2e, 0x32, 0x0a), '1.2\n'],
  ['UTF-16 LE after its byte-order mark', utf16('1.2.3.4\r\n::1 # Köln\r\n', false), '1.2.3.4\r\n::1 # Köln\r\n'],
  ['UTF-16 BE after its byte-order mark', utf16('1.2.3.4\n::1\n', true), '1.2.3.4\n::1\n'],
  ['bytes that are no UTF-8, as U+FFFD', bytes(0x31, 0xe0, 0xf2, 0x0a), '1\uFFFD\uFFFD\n'],
  ['nothing', bytes(), ''],
];

for (const [name, input, text] of decodings) {
  test(`decodes ${name}`, () => {
    assert.equal(decodeText(input), text);
  });
}

test('the Windows-1251 registry dumps read as before: the same text as a UTF-8 read, every entry, no problem', () => {
  for (const [file, ipv4, ipv6] of [
    ['rkn/zi_dump_2014-04-22.csv', 3616, 0],
    ['rkn/zi_dump-08_2020-01-30.csv', 34866, 19568],
  ] as const) {
    const raw = readFileSync(join(corpus, file));
    const text = decodeText(raw);
    assert.equal(text, raw.toString('utf8'), file);
    const document = parseDocument(text, detectFormat(file, text));
    const t = document.entries;
    const v4 = t.version.subarray(0, t.count).filter((version) => version === 4).length;
    assert.deepEqual([document.format.id, v4, t.count - v4, document.problems], ['registry-csv', ipv4, ipv6, []], file);
  }
});

/** Entries, problems, scope facts and directives, every offset moved by `shift`. */
function shifted(document: BlocklistDocument, shift: number) {
  const t = document.entries;
  const move = <T extends { start: number; end: number }>(item: T) => ({ ...item, start: item.start + shift, end: item.end + shift });
  const { format, fireholEntries, target, ...rest } = document.directives;
  return {
    entries: Array.from({ length: t.count }, (_, k) => [t.start[k] + shift, t.end[k] + shift, t.line[k], document.scopeNames.name(t.scope[k]), t.allow[k], t.lo(k), t.hi(k)]),
    problems: document.problems.map(move),
    scopeFacts: document.scopeFacts.map(move),
    scopes: document.scopes,
    directives: {
      ...rest,
      format: format && move(format),
      fireholEntries: fireholEntries && move(fireholEntries),
      target: target && { ...target, places: target.places.map(move) },
    },
  };
}

const samples: [name: string, text: string][] = [
  ...readdirSync(fixtures)
    .filter((file) => !file.endsWith('.expected'))
    .map((name): [string, string] => [name, readFileSync(join(fixtures, name), 'utf8')]),
  ['directives.txt', '# blocklist-format: plain\n# target: AS62041\n1.2.3.4/24\n'],
  ['header.netset', '# Entries : 1 subnets, 256 unique IPs\n1.2.3.0/24\n'],
  ['first line.txt', '1.2.3.4 junk\n'],
];

/** What the command-line tool's fast path for union formats collects: both families' intervals, and the problems. */
function collected(text: string, format: Format) {
  const collector = new AddressCollector();
  const problems = collector.read(text, format.read);
  const ranges = <A extends number | bigint>(set: AddressSet<A>) => {
    const all: [A, A][] = [];
    set.forEachRange((first, last) => all.push([first, last]));
    return all;
  };
  return { problems, ipv4: ranges(collector.ipv4.build()), ipv6: ranges(collector.ipv6.build()) };
}

for (const [name, text] of samples) {
  test(`${name} after a byte-order mark reads as without it, and Fix all and Aggregate File keep the mark`, () => {
    const format = detectFormat(name, text);
    assert.equal(detectFormat(name, BOM + text).id, format.id);
    const document = parseDocument(text, format);
    const marked = parseDocument(BOM + text, format);
    assert.deepEqual(shifted(marked, -1), shifted(document, 0));
    const plain = collected(text, format);
    assert.deepEqual(collected(BOM + text, format), { ...plain, problems: plain.problems.map((p) => ({ ...p, start: p.start + 1, end: p.end + 1 })) });
    assert.equal(applyEdits(BOM + text, fixAll(marked, audit(marked).facts)), BOM + applyEdits(text, fixAll(document, audit(document).facts)));
    assert.equal(applyEdits(BOM + text, aggregate(marked)), BOM + applyEdits(text, aggregate(document)));
  });
}

test('a fix of the first line after a byte-order mark keeps the mark: a removed line, a line written as two', () => {
  const removed = parseDocument(`${BOM}1.2.3.4\n1.2.3.0/24\n`, plain);
  assert.equal(applyEdits(removed.text, fixAll(removed, audit(removed).facts)), `${BOM}1.2.3.0/24\n`);
  const split = parseDocument(`${BOM}  10.0.0.0/15 # c\n`, plain);
  const context = { index: EntryIndex.of(split.entries), facts: audit(split).facts };
  const halves = fixesForEntry(split, context, 0, { maxEntries: 64, protected: [], target: [] }).find((fix) => fix.title.startsWith('Split'));
  assert.ok(halves, 'no split offered');
  assert.equal(applyEdits(split.text, halves.edits), `${BOM}  10.0.0.0/16 # c\n  10.1.0.0/16\n`);
});

test('an edit of a document with a byte-order mark, or one that adds or removes it, equals a fresh read', () => {
  const base = `${BOM}1.2.3.4\n10.0.0.0/8\njunk\n`;
  fc.assert(
    fc.property(fc.nat(base.length), fc.nat(4), fc.constantFrom('', BOM, '5.5.5.5\n', 'x', '\n'), (at, length, inserted) => {
      const edited = base.slice(0, at) + inserted + base.slice(Math.min(base.length, at + length));
      assert.deepEqual(shifted(updateDocument(parseDocument(base, plain), edited), 0), shifted(parseDocument(edited, plain), 0));
    }),
    { numRuns: 300 },
  );
});

test('a text with a NUL character in its first 8 KiB is one problem where the NUL stands, and nothing is read', () => {
  const noise = `1.2.3.4\nPK\u0003\u0004\u0000${'1.2.3.4 \u0001\n'.repeat(20_000)}`;
  const document = parseDocument(noise, plain);
  assert.equal(document.entries.count, 0);
  assert.deepEqual(
    document.problems.map((p) => [p.code, p.line, p.start]),
    [['not-text', 1, 12]],
  );
  assert.match(document.problems[0].message, /^This file is not text: it holds a NUL character here, within its first 8 KiB, so none of it is read\./);
  const result = audit(document);
  assert.deepEqual(
    result.findings.map((f) => [f.code, f.severity]),
    [['not-text', 'error']],
  );
});

test('a NUL character past the first 8 KiB is read as text, and an edit into or out of not-text equals a fresh read', () => {
  const late = `${'1.2.3.4\n'.repeat(NOT_TEXT_SAMPLE / 8)}\u0000\n5.5.5.5\n`;
  const document = parseDocument(late, plain);
  assert.equal(document.entries.count, NOT_TEXT_SAMPLE / 8 + 1);
  assert.deepEqual(
    document.problems.map((p) => p.code),
    ['invalid-entry'],
  );
  const binary = late.replace('1.2.3.4\n', '\u0000\n');
  assert.deepEqual(shifted(updateDocument(document, binary), 0), shifted(parseDocument(binary, plain), 0));
  assert.deepEqual(shifted(updateDocument(parseDocument(binary, plain), late), 0), shifted(document, 0));
});
