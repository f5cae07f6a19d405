/**
 * The entries' address order an edit carries from the audit before it
 * (entryOrder.ts) equals the order of the edited text read and sorted
 * afresh: random lists in a 16-address window per family, where entries
 * share first addresses and ties decide, and random edits of their lines;
 * and carrying it costs no sort of the whole list.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { audit } from '../../server/src/core/analysis/audit';
import { DEFAULT_AUDIT_OPTIONS } from '../../server/src/core/analysis/options';
import { OwnersMemo } from '../../server/src/core/analysis/ownersMemo';
import { parseDocument, updateDocument } from '../../server/src/core/document/document';
import { formatById } from '../../server/src/core/formats/registry';
import { measure } from '../core/workMeter';

const options = { ...DEFAULT_AUDIT_OPTIONS, maxFindings: 0 };
const plain = formatById('plain')!;

const line = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 28, max: 32 })).map(([a, prefix]) => `10.0.0.${a}/${prefix}`),
  fc.tuple(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 0, max: 15 })).map(([a, b]) => `10.0.0.${Math.min(a, b)}-10.0.0.${Math.max(a, b)}`),
  fc.tuple(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 124, max: 128 })).map(([a, prefix]) => `2001:db8::${a.toString(16)}/${prefix}`),
  fc.constant('# a comment'),
);

test('the address order carried across an edit is the order of the edited text sorted afresh', () => {
  fc.assert(
    fc.property(fc.array(line, { minLength: 1, maxLength: 40 }), fc.nat(), fc.nat(), fc.array(line, { maxLength: 4 }), (lines, at, length, inserted) => {
      const from = at % (lines.length + 1);
      const to = Math.min(lines.length, from + (length % 4));
      const edited = [...lines.slice(0, from), ...inserted, ...lines.slice(to)];
      const before = parseDocument(lines.join('\n'), plain);
      const { order4, order6 } = audit(before, options).facts;
      const updated = updateDocument(before, edited.join('\n'));
      const carried = audit(updated, options, undefined, OwnersMemo.for(updated), { document: before, order4, order6 }).facts;
      const fresh = audit(parseDocument(edited.join('\n'), plain), options).facts;
      assert.deepEqual([carried.order4, carried.order6], [fresh.order4, fresh.order6]);
    }),
    { numRuns: 500 },
  );
});

test('a one-line edit of a long list sorts only the entries it read: no radix pass over the list', () => {
  const lines = Array.from({ length: 4000 }, (_, i) => `10.${i >> 8}.${i & 255}.0/24`);
  const before = parseDocument(lines.join('\n'), plain);
  const fresh = measure(() => audit(before, options));
  assert.ok(fresh.work.buckets > 0, 'the first audit sorts the list with a radix sort');
  const { order4, order6 } = fresh.result.facts;
  const updated = updateDocument(before, [...lines.slice(0, 2000), '10.7.7.7', ...lines.slice(2001)].join('\n'));
  const edit = measure(() => audit(updated, options, undefined, OwnersMemo.for(updated), { document: before, order4, order6 }));
  assert.equal(edit.work.buckets, 0);
});
