/** Which entries decide a query: the deciding entry of each address agrees with the scope's effective set, in every rule. */
import { strict as assert } from 'node:assert';
import test from 'node:test';
import fc from 'fast-check';
import { AddressSet } from '../../server/src/core/addresses/addressSet';
import { IPV4 } from '../../server/src/core/addresses/family';
import { resolveSpecs } from '../../server/src/core/ownership/addressSpec';
import { audit } from '../../server/src/core/analysis/audit';
import { which } from '../../server/src/core/analysis/which';
import { parseDocument } from '../../server/src/core/document/document';
import type { Format } from '../../server/src/core/formats/format';
import { formatById } from '../../server/src/core/formats/registry';

function ask(text: string, id: Format['id'], lo: string, hi = lo) {
  const document = parseDocument(text, formatById(id)!);
  const { ipv4, ipv6 } = resolveSpecs([`${lo}-${hi}`], undefined);
  const result = audit(document);
  return { document, result, answer: which(document, result, { ipv4, ipv6 }) };
}

const decidedBy = (answer: ReturnType<typeof ask>['answer']) => answer.scopes.flatMap((s) => s.matches.filter((m) => m.decided > 0n).map((m) => [m.text, m.role, m.decided]));

test('ipset hash:net: the most specific entry decides each address, a /32 inside a nomatch /28 blocks again', () => {
  const { answer } = ask('create bad hash:net\nadd bad 10.0.0.0/8\nadd bad 10.0.0.0/28 nomatch\nadd bad 10.0.0.4\n', 'ipset', '10.0.0.0', '10.0.0.255');
  assert.deepEqual(decidedBy(answer), [
    ['10.0.0.0/8', 'blocks', 240n],
    ['10.0.0.0/28', 'excepts', 15n],
    ['10.0.0.4', 'blocks', 1n],
  ]);
  assert.equal(answer.blocked.ipv4.size(), 241n);
});

test('nginx: the first rule that holds an address decides it', () => {
  const { answer } = ask('deny 10.0.0.4;\nallow 10.0.0.0/24;\ndeny 10.0.0.0/8;\n', 'nginx', '10.0.0.0', '10.0.1.255');
  assert.deepEqual(decidedBy(answer), [
    ['10.0.0.4', 'blocks', 1n],
    ['10.0.0.0/24', 'excepts', 255n],
    ['10.0.0.0/8', 'blocks', 256n],
  ]);
});

/** Random nginx rules and ipset sets over a small space, so that entries nest and overlap. */
const cidr = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 24, max: 32 })).map(([host, prefix]) => {
  const network = host & (prefix === 32 ? 255 : 256 - 2 ** (32 - prefix));
  return `10.9.0.${network}/${prefix}`;
});
const nginx = fc.array(fc.tuple(fc.boolean(), cidr), { maxLength: 15 }).map((rules) => rules.map(([deny, net]) => `${deny ? 'deny' : 'allow'} ${net};`).join('\n') + '\n');
const ipset = fc
  .array(fc.tuple(fc.boolean(), cidr), { maxLength: 15 })
  .map((adds) => ['create s hash:net', ...adds.map(([nomatch, net]) => `add s ${net}${nomatch ? ' nomatch' : ''}`)].join('\n') + '\n');

for (const [id, documents] of [
  ['nginx', nginx],
  ['ipset', ipset],
] as const) {
  test(`property (${id}): every address of a query is decided by one entry, a blocking one exactly when the scope blocks it`, () => {
    fc.assert(
      fc.property(documents, fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 8 }), (text, start, width) => {
        const last = Math.min(255, start + width);
        const { document, result, answer } = ask(text, id, `10.9.0.${start}`, `10.9.0.${last}`);
        const query = AddressSet.fromSortedBounds(IPV4, new Uint32Array([0x0a090000 + start]), new Uint32Array([0x0a090000 + last]), 1);
        const matches = answer.scopes.flatMap((s) => s.matches);
        const sum = (role: string) => matches.filter((m) => m.role === role).reduce((total, m) => total + m.decided, 0n);
        const blocked = result.blocked4.intersection(query).size();
        assert.equal(sum('blocks'), blocked, 'the blocking entries decide what the scope blocks');
        assert.equal(answer.blocked.ipv4.size(), blocked);
        // Every address of the query some entry holds is decided by exactly one entry.
        const t = document.entries;
        const held = matches.reduce((set, m) => set.union(query.clip(t.lo4[m.entry], t.hi4[m.entry])), AddressSet.empty(IPV4));
        assert.equal(sum('blocks') + sum('excepts'), held.size());
      }),
      { numRuns: 400 },
    );
  });
}
