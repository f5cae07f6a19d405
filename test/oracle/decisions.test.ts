/**
 * Differential property tests against the real firewalls: random small files
 * in ipset, nginx and iptables-save syntax, with sets, exceptions and order
 * that matter; for the first, last and neighbouring addresses of every
 * entry, the product's decision equals the kernel's or the daemon's. The
 * ipset and nginx files hold both families and are written as people write
 * them (comments and blank lines anywhere, several directives a line, nested
 * blocks, the spellings the tools accept); each of their fixes, Fix all and
 * Aggregate File is applied, the tool loads the result and decides as the
 * fix's title says (fixChecks.ts). The iptables files, IPv4, are held to
 * Fix all and Aggregate File leaving every decision as it was.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { forEachCidrOfRange } from '../../server/src/core/addresses/addressSet';
import { IPV4 } from '../../server/src/core/addresses/family';
import { formatIPv4 } from '../../server/src/core/addresses/ipv4';
import { audit } from '../../server/src/core/analysis/audit';
import { parseDocument, type BlocklistDocument } from '../../server/src/core/document/document';
import { aggregate, fixAll } from '../../server/src/core/fixes/fixes';
import { applyEdits } from '../../server/src/core/fixes/rewrite';
import { ipset } from '../../server/src/core/formats/ipset';
import { nginx } from '../../server/src/core/formats/nginx';
import { formatById } from '../../server/src/core/formats/registry';
import { checkRandomFiles, type FormatOracle, type RandomFile } from './fixChecks';
import { ipsetBatchDecisions, iptablesPacketDecisions, nginxServerDecisions, requireOracle, type IpsetQuery, type NginxQuery } from './firewalls';
import { addressAt, block, cidrText, commentLine, CONTROL, fixOptions, probes, spelling, type Block, type Version } from './randomEntries';

/** How many random files each oracle checks, in batches of files asked in one run (the closing notes report what was checked). */
const RUNS = { ipset: 120, nginx: 40, iptables: 40 };
const BATCH = { ipset: 12, nginx: 8 };

/** hash:net sets decide by the most specific entry (nomatch excepts), hash:ip sets are unions; one of each type and family. */
const SETS = { a: { type: 'hash:net', version: 4 }, a6: { type: 'hash:net', version: 6 }, b: { type: 'hash:ip', version: 4 }, b6: { type: 'hash:ip', version: 6 } } as const;
type SetName = keyof typeof SETS;

interface IpsetLine {
  readonly set: SetName;
  /** What the line adds: a block, or for hash:net of IPv4 sometimes a range (prefix -1), which ipset stores as its CIDR blocks. */
  readonly block: Block;
  readonly nomatch: boolean;
  /** Given `-exist`, ipset takes an element already in the set (with the same flags). */
  readonly exist: boolean;
  readonly text: string;
}

/** An `add` line as people write it: `add` or `-A`, `-exist` before or after, blanks or tabs, host bits, IPv6 in any spelling. */
const ipsetLine: fc.Arbitrary<IpsetLine> = fc
  .record({
    set: fc.constantFrom<SetName>('a', 'a', 'a6', 'a6', 'b', 'b6'),
    four: block(4),
    six: block(6),
    nomatch: fc.boolean(),
    bare: fc.boolean(),
    hostBits: fc.boolean(),
    spelled: spelling,
    verb: fc.constantFrom('add', 'add', 'add', '-A'),
    exist: fc.constantFrom('', '', 'before', 'after'),
    blank: fc.constantFrom(' ', ' ', ' ', '  ', '\t'),
    comment: commentLine,
    range: fc.option(fc.tuple(fc.nat(63), fc.nat(63)), { freq: 3 }),
  })
  .map(({ set, four, six, nomatch, bare, hostBits, spelled, verb, exist, blank, comment, range }) => {
    const { type, version } = SETS[set];
    // hash:net of IPv4 takes a range too (of IPv6, ipset refuses one).
    const ranged = type === 'hash:net' && version === 4 && range !== null ? { version, lo: Math.min(...range), hi: Math.max(...range), prefix: -1, inside: 0 } : undefined;
    // hash:ip takes a CIDR of IPv4 (every address of it), an IPv6 address alone, and no nomatch; its overlapping adds need -exist.
    const single = type === 'hash:ip' && version === 6;
    const chosen = version === 4 ? four : single ? { ...six, lo: six.inside, hi: six.inside, prefix: 128 } : six;
    const flag = type === 'hash:net' && nomatch;
    const existing = type === 'hash:ip' ? 'before' : exist;
    const words = [
      verb,
      ...(existing === 'before' ? ['-exist'] : []),
      set,
      ranged ? `${addressAt(4, ranged.lo)}-${addressAt(4, ranged.hi)}` : cidrText(chosen, { bare, hostBits, spelled }),
      ...(flag ? ['nomatch'] : []),
      ...(existing === 'after' ? ['-exist'] : []),
    ];
    return { set, block: ranged ?? chosen, nomatch: flag, exist: existing !== '', text: `${comment}${words.join(blank)}\n` };
  });

/** A flush of a set: what was added to it before decides nothing. */
interface IpsetFlush {
  readonly flush: SetName;
  readonly text: string;
}

const ipsetFlush: fc.Arbitrary<IpsetFlush> = fc.constantFrom<SetName>('a', 'a6', 'b', 'b6').map((set) => ({ flush: set, text: `flush ${set}\n` }));

/**
 * Lines ipset restore takes: a hash:net set refuses an element it holds
 * (the same network, host bits cleared; a range is its CIDR blocks, each an
 * element) unless the line says -exist, and always one it holds with the
 * other nomatch flag.
 */
function restorable(lines: (IpsetLine | IpsetFlush)[]): (IpsetLine | IpsetFlush)[] {
  const held = new Map<string, boolean>();
  return lines.filter((line) => {
    if ('flush' in line) {
      for (const key of held.keys()) if (key.startsWith(`${line.flush} `)) held.delete(key);
      return true;
    }
    if (SETS[line.set].type !== 'hash:net') return true;
    const keys: string[] = [];
    // The blocks of the line's offsets (those of both families are aligned alike), by first offset and size.
    forEachCidrOfRange(IPV4, line.block.lo, line.block.hi, (first, prefix) => keys.push(`${line.set} ${first} ${32 - prefix}`));
    if (keys.some((key) => held.has(key) && (held.get(key) !== line.nomatch || !line.exist))) return false;
    for (const key of keys) held.set(key, line.nomatch);
    return true;
  });
}

const CREATE = {
  a: ['create a hash:net family inet', 'create a hash:net family inet hashsize 64 maxelem 4096', '-N a hash:net'],
  a6: ['create a6 hash:net family inet6', 'create a6 hash:net family inet6 maxelem 100'],
  b: ['create b hash:ip family inet', 'create b hash:ip'],
  b6: ['create b6 hash:ip family inet6'],
};

/** A save file with the four sets (created in any order, in any spelling), 192.0.2.1 planted in `a`, and random lines, now and then a flush. */
const ipsetFile: fc.Arbitrary<RandomFile<IpsetQuery>> = fc
  .record({
    creates: fc.shuffledSubarray(Object.keys(CREATE) as SetName[], { minLength: 4, maxLength: 4 }),
    spellings: fc.tuple(fc.nat(2), fc.nat(1), fc.nat(1)),
    lines: fc.array(fc.oneof({ weight: 9, arbitrary: ipsetLine }, { weight: 1, arbitrary: ipsetFlush }), { maxLength: 12 }),
    fixes: fixOptions,
  })
  .map(({ creates, spellings: [a, a6, b], lines, fixes }) => {
    const chosen = { a: CREATE.a[a], a6: CREATE.a6[a6], b: CREATE.b[b], b6: CREATE.b6[0] };
    const kept = restorable(lines);
    // The control is added again last, as a flush of `a` takes it away.
    const text = `${creates.map((set) => `${chosen[set]}\n`).join('')}add a ${CONTROL.blocked[4]}\n${kept.map((line) => line.text).join('')}add -exist a ${CONTROL.blocked[4]}\n`;
    const addresses = probes([...kept.flatMap((line) => ('block' in line ? [line.block] : [])), ...fixes.blocks]);
    const sets = (version: Version) => (Object.keys(SETS) as SetName[]).filter((set) => SETS[set].version === version);
    const queries = addresses.flatMap((address) => sets(address.includes(':') ? 6 : 4).map((set) => ({ set, address })));
    return { text, queries, options: fixes.options };
  });

const ipsetOracle: FormatOracle<IpsetQuery> = {
  tool: 'ipset',
  format: ipset,
  scopeOf: (_, query) => query.set,
  ask: (files) => ipsetBatchDecisions(files, { member: { set: 'a', address: CONTROL.blocked[4] }, nonMember: { set: 'a', address: CONTROL.allowed[4] } }),
};

test(`ipset: ${RUNS.ipset} random save files with hash:net and hash:ip sets of both families decide as the kernel does, also after every fix`, { timeout: 180_000 }, (t) =>
  checkRandomFiles(t, ipsetOracle, ipsetFile, { runs: RUNS.ipset, batch: BATCH.ipset }),
);

/** A block of an nginx file: its name as the product names it, and the path and methods of requests it decides. */
interface NginxBlock {
  readonly scope: string;
  readonly path: string;
  readonly methods: readonly NginxQuery['method'][];
}

/**
 * An `allow` or `deny`, now and then of `all`, quoted or with host bits;
 * IPv6 in any spelling; now and then over several lines, with comments
 * between its words (nginx reads on to the `;`).
 */
const nginxRule = fc
  .record({
    verb: fc.constantFrom('deny', 'deny', 'allow'),
    gap: fc.constantFrom(' ', ' ', ' ', ' ', ' ', '\n    ', ' # between its words\n    '),
    beforeEnd: fc.constantFrom('', '', '', '', '', '\n  ', ' # before its ;\n  '),
    version: fc.constantFrom<Version>(4, 6),
    four: block(4),
    six: block(6),
    all: fc.integer({ min: 0, max: 19 }),
    hostBits: fc.boolean(),
    bare: fc.boolean(),
    quoted: fc.integer({ min: 0, max: 9 }),
    spelled: spelling,
  })
  .map(({ verb, gap, beforeEnd, version, four, six, all, hostBits, bare, quoted, spelled }) => {
    const chosen = version === 4 ? four : six;
    const address = all === 0 ? 'all' : cidrText(chosen, { hostBits, bare, spelled });
    return { blocks: all === 0 ? [] : [chosen], text: `${verb}${gap}${quoted === 0 ? `"${address}"` : address}${beforeEnd};` };
  });

/**
 * Other directives among the rules, whose words nginx reads its own way: a
 * quoted string over two lines with a `;` and braces in it, a quote and a
 * `}` inside words (`add_header` is not allowed in `limit_except`).
 */
const nginxNoise = fc.constantFrom('', '', '', '', 'add_header X-A "x; {y}\n   z";\n', "add_header X-B it's;\n", 'add_header X-C a}b;\n');

/**
 * Rules written one a line or several on one, with comments after them and on lines of their own, and other directives among them where `noise`;
 * now and then a `unix:` rule alone, which matches only unix-socket clients, so the block inherits no IP rules and allows every IP client.
 */
const nginxRules = (noise: boolean) =>
  fc.oneof(
    {
      weight: 9,
      arbitrary: fc
        .array(fc.tuple(nginxRule, fc.constantFrom('\n', '\n', '\n', ' ', ' # note\n'), commentLine, noise ? nginxNoise : fc.constant('')), { maxLength: 5 })
        .map((rules) => ({
          blocks: rules.flatMap(([rule]) => rule.blocks),
          text: rules.map(([rule, after, comment, other]) => `${comment}${other}${rule.text}${after}`).join('') + '\n',
        })),
    },
    { weight: 1, arbitrary: fc.constantFrom('deny unix:;\n', 'allow unix:;\n').map((text) => ({ blocks: [] as Block[], text })) },
  );

/**
 * A server's body: the file's own rules (behind the planted controls, which
 * decide for `/index.html`), `location /a` with a `limit_except GET` and a
 * nested `location /a/n`, and `location /b`, each with rules or none. A
 * block without rules takes its parent's; `limit_except` decides the methods
 * it does not name (POST here) in its own location, and nested locations
 * take none of it (checked with nginx).
 */
const nginxFile = fc
  .record({
    top: nginxRules(true),
    a: nginxRules(true),
    limit: fc.option(nginxRules(false), { nil: undefined }),
    nested: fc.option(nginxRules(true), { nil: undefined }),
    b: fc.option(nginxRules(true), { nil: undefined }),
    fixes: fixOptions,
  })
  .map(({ top, a, limit, nested, b, fixes }): RandomFile<NginxQuery> & { blocks: NginxBlock[] } => {
    const indent = (text: string) => text.replace(/^(?=.)/gm, '  ');
    const text =
      `deny ${CONTROL.blocked[4]}; allow ${CONTROL.allowed[4]};\n${top.text}` +
      `location /a {\n${indent(a.text)}${limit ? `  limit_except GET {\n${indent(indent(limit.text))}  }\n` : ''}` +
      `${nested ? `  location /a/n {\n${indent(indent(nested.text))}  }\n` : ''}}\n` +
      (b ? `location /b {\n${indent(b.text)}}\n` : '');
    const blocks: NginxBlock[] = [
      { scope: '', path: '/index.html', methods: ['GET'] },
      { scope: 'location /a', path: '/a/x', methods: ['GET'] },
      ...(limit ? [{ scope: 'location /a › limit_except GET', path: '/a/x', methods: ['POST' as const] }] : []),
      ...(nested ? [{ scope: 'location /a › location /a/n', path: '/a/n/x', methods: ['GET' as const, 'POST' as const] }] : []),
      ...(b ? [{ scope: 'location /b', path: '/b/x', methods: ['GET' as const] }] : []),
    ];
    const routes = blocks.flatMap(({ path, methods }) => methods.map((method) => ({ path, method })));
    // Each probe at one of the routes in turn (nginx answers about 1 ms a request).
    const addresses = probes([...top.blocks, ...a.blocks, ...(limit?.blocks ?? []), ...(nested?.blocks ?? []), ...(b?.blocks ?? []), ...fixes.blocks]);
    const queries = addresses.map((address, n) => ({ address, ...routes[n % routes.length] }));
    return { text, queries, options: fixes.options, blocks };
  });

/** The blocks a request goes through, outermost first: a location's path, and for a method other than GET its limit_except. */
function routeOf(query: NginxQuery): string[] {
  if (query.path.startsWith('/a/n/')) return ['', 'location /a', 'location /a › location /a/n'];
  if (query.path.startsWith('/a/')) return ['', 'location /a', ...(query.method === 'GET' ? [] : ['location /a › limit_except GET'])];
  if (query.path.startsWith('/b/')) return ['', 'location /b'];
  return [''];
}

/** The innermost block of the request's route with rules of its own decides (per family, as nginx keeps its IPv4 and IPv6 rules apart). */
function nginxScopeOf(document: BlocklistDocument, query: NginxQuery): string | undefined {
  return routeOf(query)
    .reverse()
    .find((scope) => document.scopes.some((s) => s.name === scope));
}

const nginxGet = (address: string): NginxQuery => ({ address, path: '/index.html', method: 'GET' });
const nginxOracle: FormatOracle<NginxQuery> = {
  tool: 'nginx',
  format: nginx,
  scopeOf: nginxScopeOf,
  ask: async (files) =>
    (await nginxServerDecisions(files, { blocked: nginxGet(CONTROL.blocked[4]), allowed: nginxGet(CONTROL.allowed[4]) })).map((answers) => ({
      loaded: true,
      message: '',
      answers,
    })),
};

test(
  `nginx: ${RUNS.nginx} random servers with locations, limit_except and rules of both families decide by the first match, as nginx does, also after every fix`,
  { timeout: 180_000 },
  (t) => checkRandomFiles(t, nginxOracle, nginxFile, { runs: RUNS.nginx, batch: BATCH.nginx }),
);

/** The random iptables entries lie in 10.0.0.0/26; the planted control in 192.0.2.0/24, apart from them. */
const BASE = 0x0a000000;
const cidr = fc.tuple(fc.nat(63), fc.integer({ min: 26, max: 32 })).map(([host, prefix]) => {
  const network = host & ~((1 << (32 - prefix)) - 1) & 63;
  return { lo: network, hi: network + 2 ** (32 - prefix) - 1, text: `${formatIPv4(BASE + network)}/${prefix}` };
});

/** What the product says the chain filter/INPUT blocks, for each address. */
function iptablesDecisions(text: string, addresses: string[]): boolean[] {
  const document = parseDocument(text, formatById('iptables')!);
  const id = document.scopes.findIndex((s) => s.name === 'filter/INPUT');
  const set = audit(document).facts.scopeSets.find((s) => s.scope === id)?.blocked4;
  return addresses.map((address) => set?.has(BASE + Number(address.split('.')[3])) ?? false);
}

test(`iptables: ${RUNS.iptables} random chains decide by the first match; LOG and port rules decide nothing`, { timeout: 180_000 }, async () => {
  requireOracle('iptables');
  const rule = fc
    .tuple(fc.constantFrom('DROP', 'ACCEPT', 'REJECT', 'LOG'), cidr, fc.constantFrom('', '', '', '-p udp --dport 53 '))
    .map(([target, range, condition]) => ({ range, text: `-A INPUT ${condition}-s ${range.text} -j ${target}` }));
  const file = fc.array(rule, { maxLength: 8 }).map((rules) => ({
    text: `*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -s 192.0.2.1/32 -j DROP\n${rules.map((r) => `${r.text}\n`).join('')}COMMIT\n`,
    addresses: probes(rules.map((r) => ({ version: 4, ...r.range }))),
  }));
  const ask = (text: string, addresses: string[]) => iptablesPacketDecisions(text, addresses, { blocked: '192.0.2.1', allowed: '192.0.2.2' });
  await fc.assert(
    fc.asyncProperty(file, async ({ text, addresses }) => {
      const real = await ask(text, addresses);
      assert.deepEqual(iptablesDecisions(text, addresses), real, `the product disagrees with iptables on\n${text}`);
      const document = parseDocument(text, formatById('iptables')!);
      for (const edits of [fixAll(document, audit(document).facts), aggregate(document)]) {
        const after = applyEdits(text, edits);
        if (after !== text) assert.deepEqual(await ask(after, addresses), real, `a fix changed what iptables decides:\n${text}\n→\n${after}`);
      }
    }),
    { numRuns: RUNS.iptables },
  );
});

test('iptables: -s beside --src-range drops the addresses in both, and Fix all and Aggregate File keep the rule after it that drops the rest of the -s network', async () => {
  requireOracle('iptables');
  const text = '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -s 10.9.0.0/24 -m iprange --src-range 10.9.0.5-10.9.1.5 -j DROP\n-A INPUT -s 10.9.0.0/25 -j DROP\nCOMMIT\n';
  const addresses = ['10.9.0.4', '10.9.0.5', '10.9.0.200', '10.9.1.1'];
  const ask = (file: string) => iptablesPacketDecisions(file, addresses, { blocked: '10.9.0.100', allowed: '10.9.1.100' });
  const real = await ask(text);
  assert.deepEqual(real, [true, true, true, false]);
  const document = parseDocument(text, formatById('iptables')!);
  for (const edits of [fixAll(document, audit(document).facts), aggregate(document)]) assert.deepEqual(await ask(applyEdits(text, edits)), real, applyEdits(text, edits));
});
