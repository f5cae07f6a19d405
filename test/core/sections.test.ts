/** Sections: a comment block and the entries it introduces, named by the block's last line, with their unique addresses. */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import test from 'node:test';
import { sectionsOf } from '../../server/src/core/analysis/sections';
import { parseDocument } from '../../server/src/core/document/document';
import type { Format } from '../../server/src/core/formats/format';
import { formatById } from '../../server/src/core/formats/registry';

const root = resolve(__dirname, '..', '..', '..');

function sections(text: string, id: Format['id'] = 'plain') {
  return sectionsOf(parseDocument(text, formatById(id)!)).map((s) => ({
    name: s.name,
    start: s.start,
    heading: s.heading,
    end: s.end,
    entries: s.entries.length,
    ipv4: s.ipv4,
    ipv6: s.ipv6,
  }));
}

test("the 2018 example: Telegram's networks, then the cloud subnets, each counted once", () => {
  assert.deepEqual(sections(readFileSync(join(root, 'examples/telegram-2018.txt'), 'utf8')), [
    { name: "Telegram's networks", start: 0, heading: 7, end: 16, entries: 9, ipv4: 9216n, ipv6: 3n * 2n ** 80n },
    { name: 'Cloud subnets reported blocked on 16-17 April 2018', start: 17, heading: 18, end: 24, entries: 6, ipv4: 1835008n, ipv6: 0n },
  ]);
});

test('entries before any comment, a comment block with no entry after it, blank lines inside a section, overlapping entries counted once', () => {
  assert.deepEqual(sections('10.0.0.0/24\n10.0.0.0/25\n# nothing follows this one\n# Second\n\n1.2.3.4\n\n1.2.3.4\n# trailing note\n'), [
    { name: '', start: 0, heading: 0, end: 1, entries: 2, ipv4: 256n, ipv6: 0n },
    { name: 'Second', start: 2, heading: 3, end: 7, entries: 2, ipv4: 1n, ipv6: 0n },
  ]);
});

test('an ipset file: exceptions name addresses but block none of them; a directive names no section', () => {
  assert.deepEqual(sections('# Bad hosts\n# blocklist-role: allow good\ncreate bad hash:net\nadd bad 10.0.0.0/24\nadd bad 10.0.0.0/28 nomatch\n', 'ipset'), [
    { name: 'Bad hosts', start: 0, heading: 1, end: 4, entries: 2, ipv4: 256n, ipv6: 0n },
  ]);
  assert.deepEqual(
    sections('# target: telegram\n91.108.4.0/22\n').map((s) => s.name),
    ['target: telegram'],
  );
});
