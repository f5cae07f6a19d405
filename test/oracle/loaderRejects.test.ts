/**
 * What the loaders refuse, against the loaders themselves (issue 9):
 * `ipset restore` (each file in a fresh state) and `apache2 -t` (each body
 * in a `<Directory>`). First the rows of test/core/loaderCases.ts; then
 * differential property tests on random files of several sets or sections
 * mixing what loads and what is refused: the product reports
 * `loader-rejects` exactly when the loader refuses the file, and on the line
 * the loader names, when it names one. Fix all and Aggregate File of each
 * file are checked the same way, and never make a file the loader took into
 * one it refuses.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { audit } from '../../server/src/core/analysis/audit';
import { parseDocument } from '../../server/src/core/document/document';
import { aggregate, fixAll } from '../../server/src/core/fixes/fixes';
import { applyEdits } from '../../server/src/core/fixes/rewrite';
import type { FormatId } from '../../server/src/core/formats/format';
import { formatById } from '../../server/src/core/formats/registry';
import { APACHE_CASES, IPSET_CASES, type LoaderCase } from '../core/loaderCases';
import { apacheConfigChecks, ipsetRestoreChecks, requireOracle, type LoaderCheck } from './firewalls';

/** How many random files, and how many go to the loader in one run (one namespace, and its controls, per run). */
const RUNS = { ipset: 10, apache: 8 };
const BATCH = 20;

type Tool = 'ipset' | 'apache';

const FORMAT: Record<Tool, FormatId> = { ipset: 'ipset', apache: 'apache' };

/** Each text's loader verdict, all in one run. */
function check(tool: Tool, texts: string[]): Promise<LoaderCheck[]> {
  return tool === 'ipset' ? ipsetRestoreChecks(texts) : apacheConfigChecks(texts);
}

/** The lines (1-based) the product says the loader refuses. */
function productRejects(tool: Tool, text: string): number[] {
  return audit(parseDocument(text, formatById(FORMAT[tool])!))
    .findings.filter((finding) => finding.code === 'loader-rejects')
    .map((finding) => finding.line + 1);
}

/** The loader refuses `text` exactly when the product says so, and the line it names is one the product names. */
function assertAgrees(tool: Tool, text: string, { ok, message, line }: LoaderCheck, what = ''): void {
  const lines = productRejects(tool, text);
  assert.equal(
    lines.length > 0,
    !ok,
    `${tool} ${ok ? 'loads' : `refuses (${message})`}${what}, the product says ${lines.length > 0 ? `it refuses lines ${lines.join(', ')}` : 'it loads'}:\n${text}`,
  );
  if (line !== undefined) assert.ok(lines.includes(line), `${tool} names line ${line} (${message}), the product lines ${lines.join(', ')}:\n${text}`);
}

for (const [tool, cases] of [
  ['ipset', IPSET_CASES],
  ['apache', APACHE_CASES],
] as [Tool, LoaderCase[]][]) {
  test(`${tool}: the loader refuses exactly the files of loaderCases.ts the product says it does, on their lines`, { timeout: 60_000 }, async () => {
    requireOracle(tool);
    const checks = await check(
      tool,
      cases.map(([, text]) => text),
    );
    cases.forEach(([name, text, rejected], n) => {
      assertAgrees(tool, text, checks[n], ` (${name})`);
      // The rows say which lines: the loader's line is among them.
      if (checks[n].line !== undefined)
        assert.ok(
          rejected.some((row) => row.startsWith(`L${checks[n].line} `)),
          `${name}: ${tool} names line ${checks[n].line}`,
        );
    });
  });
}

/**
 * Checks a batch of random files, and what Fix all and Aggregate File make
 * of each, with one run of the loader: every text as assertAgrees says, and
 * a file the loader takes stays one it takes after either.
 */
async function differential(tool: Tool, files: string[], counts: Record<string, number>): Promise<void> {
  const fixed = files.map((text) => {
    const document = parseDocument(text, formatById(FORMAT[tool])!);
    const edits = { 'Fix all': fixAll(document, audit(document).facts), 'Aggregate File': aggregate(document) };
    return Object.entries(edits)
      .map(([name, change]) => ({ name, text: applyEdits(text, change) }))
      .filter((after) => after.text !== text);
  });
  const checks = await check(tool, [...files, ...fixed.flat().map((after) => after.text)]);
  let next = files.length;
  files.forEach((text, n) => {
    assertAgrees(tool, text, checks[n]);
    counts[checks[n].ok ? 'loaded' : 'refused']++;
    for (const after of fixed[n]) {
      const verdict = checks[next++];
      counts[after.name]++;
      assertAgrees(tool, after.text, verdict, ` after ${after.name}`);
      if (checks[n].ok) assert.ok(verdict.ok, `${tool} loads the file, but refuses it after ${after.name} (${verdict.message}):\n${text}\n→\n${after.text}`);
    }
  });
}

const pick = <T>(...values: T[]) => fc.constantFrom(...values);

/** `arbitrary` mostly, `rare` one time in `odds + 1`: the forms a loader refuses are drawn rarely, so that about half the files load. */
const mostly = <T>(arbitrary: fc.Arbitrary<T>, odds: number, rare: fc.Arbitrary<T>) => fc.oneof({ weight: odds, arbitrary }, { weight: 1, arbitrary: rare });

/**
 * Elements of each family, from pools small enough to repeat: addresses,
 * CIDRs (one with host bits), ranges; now and then a /0, 0.0.0.0 or ::, an
 * IPv6 CIDR or range (which hash:ip refuses), or one of the other family.
 */
const IPV4_ELEMENT = fc.oneof(
  { weight: 30, arbitrary: fc.nat(63).map((n) => `10.0.${n >> 4}.${1 + (n & 15) * 4}`) },
  { weight: 6, arbitrary: pick('10.0.0.0/30', '10.0.0.4/30', '10.0.0.0/29', '10.0.0.1/30', '10.0.1.0/24', '10.0.2.0/31') },
  { weight: 4, arbitrary: pick('10.0.0.2-10.0.0.5', '10.0.0.0-10.0.0.3', '10.0.3.8-10.0.3.10') },
  { weight: 1, arbitrary: pick('0.0.0.0/0', '0.0.0.0/30', '0.0.0.1/30', '0.0.0.0', '10.0.0.1/0') },
);
const IPV6_ELEMENT = mostly(
  fc.nat(63).map((n) => `2001:db8:${n >> 4}::${1 + (n & 15)}`),
  20,
  pick('2001:db8::/126', '2001:db8::/64', '2001:db8::1-2001:db8::3', '::/0', '::', '2001:db8::5/128'),
);
const element = (family: 4 | 6) => (family === 4 ? mostly(IPV4_ELEMENT, 40, IPV6_ELEMENT) : mostly(IPV6_ELEMENT, 40, IPV4_ELEMENT));

/** An add line's options: mostly none; a timeout or a comment (which the set may not take), nomatch, -exist. */
const addOptions = mostly(fc.constant(''), 30, pick(' timeout 60', ' comment "x"', ' nomatch', ' -exist'));

/** A set: its create line (hash:net or hash:ip, inet or inet6, now and then a small maxelem or an option) and a run of adds to it; a name may come twice. */
const ipsetSet = fc
  .tuple(
    pick('a', 'b', 'c', 'd', 'e', 'f'),
    pick('hash:net', 'hash:ip'),
    pick<4 | 6>(4, 6),
    mostly(fc.constant(''), 5, pick(' maxelem 3', ' maxelem 6')),
    mostly(fc.constant(''), 5, pick(' timeout 0', ' comment', ' -exist')),
  )
  .chain(([name, type, family, maxelem, options]) =>
    fc
      .array(fc.tuple(element(family), addOptions), { minLength: 1, maxLength: 5 })
      .map((adds) => [`create ${name} ${type}${family === 6 ? ' family inet6' : ''}${maxelem}${options}`, ...adds.map(([address, more]) => `add ${name} ${address}${more}`)]),
  );

/** An ipset save file: one to three sets, and one time in five a line somewhere that flushes, destroys, adds to a set never created or creates again. */
const ipsetFile = fc
  .tuple(
    fc.array(ipsetSet, { minLength: 1, maxLength: 3 }),
    mostly(fc.constant(undefined), 4, fc.tuple(pick('flush a', 'destroy b', 'add z 10.0.0.1', 'create a hash:net -exist'), fc.nat())),
  )
  .map(([sets, extra]) => {
    const lines = sets.flat();
    if (extra) lines.splice(extra[1] % (lines.length + 1), 0, extra[0]);
    return `${lines.join('\n')}\n`;
  });

test('random ipset files: restore refuses exactly those with loader-rejects, on their lines; also after Fix all and Aggregate File', { timeout: 300_000 }, async (t) => {
  requireOracle('ipset');
  const counts = { loaded: 0, refused: 0, 'Fix all': 0, 'Aggregate File': 0 };
  await fc.assert(
    fc.asyncProperty(fc.array(ipsetFile, { minLength: BATCH, maxLength: BATCH }), (files) => differential('ipset', files, counts)),
    { numRuns: RUNS.ipset, endOnFailure: true, includeErrorInReport: true },
  );
  t.diagnostic(
    `${counts.loaded + counts.refused} random files: ${counts.refused} refused, ${counts.loaded} loaded; ${counts['Fix all']} changed by Fix all, ${counts['Aggregate File']} by Aggregate File`,
  );
});

// Few addresses, so that entries repeat and cover each other, and Fix all has work.
const address = fc.nat(15).map((n) => `10.0.0.${n}`);
const cidr = fc.nat(3).map((n) => `10.0.0.${n * 4}/30`);
const grant = fc.oneof(address, cidr).map((a) => `Require ip ${a}`);
const negative = fc.oneof(address, cidr).map((a) => `Require not ip ${a}`);
const requireLine = fc.oneof(
  { weight: 3, arbitrary: grant },
  { weight: 3, arbitrary: negative },
  { weight: 1, arbitrary: pick('Require all granted', 'Require host example.com', 'Require not host example.com') },
);

/** A Require section of Require lines and, above the innermost, sections of its own. */
const section: fc.Memo<string> = fc.memo((depth) =>
  fc
    .tuple(
      pick('RequireAll', 'RequireAll', 'RequireAll', 'RequireAny', 'RequireNone'),
      fc.array(depth > 1 ? mostly(requireLine, 5, section(depth - 1)) : requireLine, { minLength: 1, maxLength: 3 }),
    )
    .map(([name, children]) => [`<${name}>`, ...children, `</${name}>`].join('\n')),
);

/** The usual blocklist: a <RequireAll> of Require not ip, granting the rest. */
const blocklist = fc.array(negative, { minLength: 1, maxLength: 3 }).map((lines) => ['<RequireAll>', 'Require all granted', ...lines, '</RequireAll>'].join('\n'));

/** Forms met in the wild: a <Limit>, an empty section, a 2.2 line inside a section or beside, an Order with a blank, a negative in <RequireAny>. */
const odd = pick(
  '<Limit GET>\nRequire not ip 10.0.0.8\n</Limit>',
  '<RequireAll>\n</RequireAll>',
  'Order deny, allow',
  '<RequireAll>\nRequire all granted\nDeny from 10.0.0.9\n</RequireAll>',
  'Order Deny,Allow\nDeny from 10.0.0.10',
  '<RequireAny>\nRequire ip 10.0.0.1\nRequire not ip 10.0.0.2\n</RequireAny>',
);

/** A body of a `<Directory>`: blocklists, Require lines and random sections, a negative line beside them, an odd form. */
const apacheBody = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: blocklist },
      { weight: 3, arbitrary: grant },
      { weight: 3, arbitrary: section(3) },
      { weight: 1, arbitrary: negative },
      { weight: 1, arbitrary: odd },
    ),
    { minLength: 1, maxLength: 4 },
  )
  .map((parts) => `${parts.join('\n')}\n`);

test('random Apache bodies: apache2 -t refuses exactly those with loader-rejects, on their lines; also after Fix all', { timeout: 300_000 }, async (t) => {
  requireOracle('apache');
  const counts = { loaded: 0, refused: 0, 'Fix all': 0, 'Aggregate File': 0 };
  await fc.assert(
    fc.asyncProperty(fc.array(apacheBody, { minLength: BATCH, maxLength: BATCH }), (bodies) => differential('apache', bodies, counts)),
    { numRuns: RUNS.apache, endOnFailure: true, includeErrorInReport: true },
  );
  t.diagnostic(`${counts.loaded + counts.refused} random bodies: ${counts.refused} refused, ${counts.loaded} loaded; ${counts['Fix all']} changed by Fix all`);
});
