/**
 * Differential property tests of hosts.deny and Apache against the programs
 * themselves (issue 9): random hosts.deny files of both families with daemon
 * lists, `ALL` lines, EXCEPT lists, continued lines, comments and granting
 * rules for tcpdmatch; random 2.4 `<RequireAll>` bodies with `Require ip`
 * beside them, and 2.2 `Order`/`Deny`/`Allow` bodies, their words now and
 * then over lines a backslash joins, for Apache. For the
 * first, last and neighbouring addresses of every entry, the product's
 * decision (each daemon's scope; the file's scope for Apache) equals the
 * program's. Then fixes are applied and the program reads the result: for
 * hosts.deny each fix, Fix all and Aggregate File, each deciding as its
 * title says (fixChecks.ts; libwrap, the library of tcpd and tcpdmatch,
 * answers there, held to tcpdmatch on a sample); for Apache Fix all, which
 * leaves every decision as it was.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { formatIPv4 } from '../../server/src/core/addresses/ipv4';
import { audit } from '../../server/src/core/analysis/audit';
import { parseDocument, type BlocklistDocument } from '../../server/src/core/document/document';
import { fixAll } from '../../server/src/core/fixes/fixes';
import { applyEdits } from '../../server/src/core/fixes/rewrite';
import type { FormatId } from '../../server/src/core/formats/format';
import { hostsDeny } from '../../server/src/core/formats/hostsDeny';
import { formatById } from '../../server/src/core/formats/registry';
import { checkRandomFiles, type FormatOracle } from './fixChecks';
import { apacheDecisions, requireOracle, tcpdBatchDecisions, type TcpdQuery } from './firewalls';
import { hostsDenyRule } from './hostsRules';
import { addressAt, block, CONTROL, fixOptions, probes, type Block } from './randomEntries';

/** How many random files each oracle checks (Apache takes about 0.2 s a start), and how many hosts.deny files go to libwrap in one run. */
const RUNS = { tcpd: 80, apache24: 30, apache22: 30 };
const BATCH = { tcpd: 10 };

/** An IPv4 block written as net/len or net/mask, as Apache and tcpd take it. */
const cidr = fc
  .tuple(block(4), fc.boolean())
  .map(([b, netmask]) => ({ block: b, text: `${addressAt(4, b.lo)}/${netmask ? formatIPv4((0xffffffff << (32 - b.prefix)) >>> 0) : b.prefix}` }));
const list = (min: number, max: number) => fc.array(cidr, { minLength: min, maxLength: max });
const written = (ranges: { text: string }[], separator = ' ') => ranges.map((range) => range.text).join(separator);
/** Between a directive's words: a blank, and now and then a backslash that joins the next line to this one, as Apache reads it. */
const between = fc.constantFrom(' ', ' ', ' ', ' \\\n    ');

function read(format: FormatId, text: string) {
  const document = parseDocument(text, formatById(format)!);
  return { document, facts: audit(document).facts };
}

/**
 * A property over random Apache bodies: the product's decisions equal
 * Apache's, and after Fix all Apache decides as before. Apache is asked
 * again only when Fix all changed the text (a list that loses its last item
 * takes its directive with it: `Require not ip ` would be rejected).
 */
async function apacheDifferential(runs: number, file: fc.Arbitrary<{ text: string; blocks: Block[] }>): Promise<void> {
  requireOracle('apache');
  await fc.assert(
    fc.asyncProperty(file, async ({ text, blocks }) => {
      const addresses = probes(blocks);
      const real = await apacheDecisions(text, addresses, apacheControls);
      assert.deepEqual(apacheProduct(text, addresses), real, `the product disagrees with Apache on\n${text}`);
      const { document, facts } = read('apache', text);
      const after = applyEdits(text, fixAll(document, facts));
      if (after !== text) assert.deepEqual(await apacheDecisions(after, addresses, apacheControls), real, `Fix all changed what Apache decides:\n${text}\n→\n${after}`);
    }),
    { numRuns: runs },
  );
}

/** The daemons asked: sshd, vsftpd and a daemon no line names (ALL's rules only). */
const DAEMONS = ['sshd', 'vsftpd', 'ftpd'];

/** The product decides a daemon the file names in its own scope, any other by the file's ALL rules (tcpd's rules for every daemon). */
function daemonScope(document: BlocklistDocument, { daemon }: TcpdQuery): string {
  return document.scopeFacts.some((fact) => fact.kind === 'declare' && fact.scope === daemon) ? daemon : 'ALL';
}

/**
 * The controls: a line planted first in every file denies in.telnetd
 * 192.0.2.1, and hosts.allow grants in.fingerd 192.0.2.2, which no random
 * line can deny then (not even `ALL: ALL`).
 */
const tcpdControls = { blocked: { daemon: 'in.telnetd', address: CONTROL.blocked[4] }, allowed: { daemon: 'in.fingerd', address: CONTROL.allowed[4] } };
const tcpdOracle: FormatOracle<TcpdQuery> = {
  tool: 'tcpd',
  format: hostsDeny,
  scopeOf: daemonScope,
  ask: async (files) =>
    (
      await tcpdBatchDecisions(
        files.map((file) => ({ ...file, allow: `in.fingerd: ${CONTROL.allowed[4]}\n` })),
        tcpdControls,
      )
    ).map((answers) => ({ loaded: true, message: '', answers })),
};

/**
 * A file of random rules behind the planted control line, and every probe
 * asked for each daemon; now and then without a line break at its end
 * (libwrap then denies everything from its last line on; the allowed
 * control is granted by hosts.allow).
 */
const hostsDenyFile = fc.tuple(fc.array(hostsDenyRule, { minLength: 1, maxLength: 4 }), fixOptions, fc.nat(5)).map(([rules, fixes, ending]) => ({
  text: `in.telnetd: ${CONTROL.blocked[4]}\n${rules.map((rule) => rule.text).join('')}`.slice(0, ending === 0 ? -1 : undefined),
  queries: probes(rules.flatMap((rule) => rule.blocks)).flatMap((address) => DAEMONS.map((daemon) => ({ daemon, address }))),
  options: fixes.options,
}));

test(`hosts.deny: ${RUNS.tcpd} random files of both families: each daemon is denied what tcpdmatch denies it, also after every fix`, { timeout: 180_000 }, (t) =>
  checkRandomFiles(t, tcpdOracle, hostsDenyFile, { runs: RUNS.tcpd, batch: BATCH.tcpd }),
);

/** What the product says the file's scope blocks, per address. */
function apacheProduct(text: string, addresses: string[]): boolean[] {
  const { document, facts } = read('apache', text);
  const set = facts.scopeSets.find((s) => document.scopes[s.scope].name === '')?.blocked4;
  return addresses.map((address) => set?.has(address.split('.').reduce((value, octet) => value * 256 + Number(octet), 0)) ?? false);
}

const apacheControls = { blocked: CONTROL.blocked[4], allowed: CONTROL.allowed[4] };

test(
  `Apache 2.4: ${RUNS.apache24} random <RequireAll> of Require not ip, less the Require ip beside it, as Apache decides, and still after Fix all`,
  { timeout: 180_000 },
  async () => {
    // Now and then as the .htaccess that works on 2.2 and 2.4 is written: a branch for each, the 2.2 one (never read by 2.4) denying the same.
    const branches = fc.constantFrom(
      ['', ''],
      ['', ''],
      ['<IfModule mod_authz_core.c>\n', '</IfModule>\n<IfModule !mod_authz_core.c>\n'],
      ['<IfVersion >= 2.4>\n', '</IfVersion>\n<IfVersion < 2.4>\n'],
    );
    const file = fc
      .tuple(fc.array(list(1, 2), { minLength: 1, maxLength: 3 }), fc.array(list(1, 2), { maxLength: 2 }), fc.boolean(), branches, between)
      .map(([blocks, grants, after, [open, other], blank]) => {
        const requireAll = `<RequireAll>\n  Require all granted\n  Require not ip ${CONTROL.blocked[4]}\n${blocks.map((line) => `  Require not${blank}ip ${written(line, blank)}\n`).join('')}</RequireAll>\n`;
        const beside = grants.map((line) => `Require ip${blank}${written(line, blank)}\n`).join('');
        const body = after ? requireAll + beside : beside + requireAll;
        const old =
          other === ''
            ? ''
            : `${other}Order Deny,Allow\n${blocks.map((line) => `Deny from ${written(line)}\n`).join('')}${other.startsWith('</IfModule') ? '</IfModule>' : '</IfVersion>'}\n`;
        return { text: `${open}${body}${old}`, blocks: [...blocks.flat(), ...grants.flat()].map((c) => c.block) };
      });
    await apacheDifferential(RUNS.apache24, file);
  },
);

test(
  `Apache 2.2: ${RUNS.apache22} random Order Deny,Allow (and Allow,Deny) with Deny and Allow lines in any order, as Apache decides, and still after Fix all`,
  { timeout: 180_000 },
  async () => {
    const line = fc
      .tuple(fc.constantFrom('Deny', 'Deny', 'Allow'), list(1, 2), between)
      .map(([verb, ranges, blank]) => ({ ranges, text: `${verb} from${blank}${written(ranges, blank)}\n` }));
    const file = fc
      .tuple(fc.constantFrom('', 'Order Deny,Allow\n', 'Order Deny,Allow\n', 'Order Allow,Deny\n'), fc.array(line, { minLength: 1, maxLength: 5 }))
      .map(([order, lines]) => ({
        text: `${order}Deny from ${CONTROL.blocked[4]}\nAllow from ${CONTROL.allowed[4]}\n${lines.map((l) => l.text).join('')}`,
        blocks: lines.flatMap((l) => l.ranges.map((c) => c.block)),
      }));
    await apacheDifferential(RUNS.apache22, file);
  },
);
