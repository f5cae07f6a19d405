/**
 * hosts.allow beside hosts.deny against libwrap itself (issue 14): random
 * pairs of files, hosts.allow read first as hosts_access(5) says. For the
 * first, last and neighbouring addresses of every entry of either file, and
 * each daemon (named in either file or in neither), the product's decision
 * (what the audits of the two files say) equals tcpdmatch's, asked through
 * libwrap in one process (held to tcpdmatch on a sample, firewalls.ts).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { audit } from '../../server/src/core/analysis/audit';
import { AddressSet } from '../../server/src/core/addresses/addressSet';
import { IPV4, IPV6 } from '../../server/src/core/addresses/family';
import type { DocumentFacts } from '../../server/src/core/analysis/facts';
import { DEFAULT_AUDIT_OPTIONS } from '../../server/src/core/analysis/options';
import { parseDocument, type BlocklistDocument } from '../../server/src/core/document/document';
import { hostsAllow, hostsDeny } from '../../server/src/core/formats/hostsDeny';
import { holds } from './fixChecks';
import { requireOracle, tcpdBatchDecisions, type TcpdQuery } from './firewalls';
import { hostsDenyRule } from './hostsRules';
import { CONTROL, probes } from './randomEntries';

/** How many random pairs, in batches of how many (libwrap answers a batch in one process). */
const RUNS = 60;
const BATCH = 20;

/** sshd and vsftpd, which random rules name, and ftpd, which none does. */
const DAEMONS = ['sshd', 'vsftpd', 'ftpd'];

/**
 * The controls, planted first in hosts.allow, which decides before any
 * random line of either file: in.telnetd is denied 192.0.2.1 by an option,
 * in.fingerd granted 192.0.2.2.
 */
const controls = { blocked: { daemon: 'in.telnetd', address: CONTROL.blocked[4] }, allowed: { daemon: 'in.fingerd', address: CONTROL.allowed[4] } };
const planted = `in.telnetd: ${CONTROL.blocked[4]} : deny\nin.fingerd: ${CONTROL.allowed[4]}\n`;

const pair = fc.tuple(fc.array(hostsDenyRule, { minLength: 1, maxLength: 3 }), fc.array(hostsDenyRule, { minLength: 1, maxLength: 3 })).map(([allowRules, denyRules]) => ({
  allow: planted + allowRules.map((rule) => rule.text).join(''),
  deny: denyRules.map((rule) => rule.text).join(''),
  queries: probes([...allowRules, ...denyRules].flatMap((rule) => rule.blocks)).flatMap((address) => DAEMONS.map((daemon): TcpdQuery => ({ daemon, address }))),
}));

/**
 * What the product denies each query's daemon: what the audit of hosts.allow
 * says it denies the daemon itself (lines whose options deny), and what the
 * audit of hosts.deny beside it says the daemon is denied — its scope, the
 * sets of daemons only hosts.allow names, else the ALL scope.
 */
function productDecisions(allowText: string, denyText: string, queries: readonly TcpdQuery[]): boolean[] {
  const allow = { file: 'hosts.allow', document: parseDocument(allowText, hostsAllow) };
  const document = parseDocument(denyText, hostsDeny);
  const { facts } = audit(document, { ...DEFAULT_AUDIT_OPTIONS, hostsAllow: allow });
  const own = audit(allow.document).facts;
  const scopeSet = (read: { document: BlocklistDocument; facts: DocumentFacts }, daemon: string) => {
    const scopeOf = (name: string) => read.document.scopes.findIndex((scope) => scope.name.toLowerCase() === name);
    const s = scopeOf(daemon) >= 0 ? scopeOf(daemon) : scopeOf('all');
    const set = read.facts.scopeSets.find((candidate) => candidate.scope === s);
    return { ipv4: set?.blocked4 ?? AddressSet.empty(IPV4), ipv6: set?.blocked6 ?? AddressSet.empty(IPV6) };
  };
  const denied = new Map(
    DAEMONS.map((daemon) => {
      const first = scopeSet({ document: allow.document, facts: own }, daemon);
      const named = document.scopes.some((scope) => scope.name.toLowerCase() === daemon);
      const then = (!named && facts.onlyAllowed?.get(daemon)) || scopeSet({ document, facts }, daemon);
      return [daemon, { blocked4: first.ipv4.union(then.ipv4), blocked6: first.ipv6.union(then.ipv6) }];
    }),
  );
  return queries.map(({ daemon, address }) => holds(denied.get(daemon)!, address));
}

test(`hosts.allow then hosts.deny: ${RUNS} random pairs of both families, each daemon denied what libwrap (and tcpdmatch) denies it`, { timeout: 120_000 }, async (t) => {
  requireOracle('tcpd');
  const pairs = fc.sample(pair, { numRuns: RUNS, seed: Number(process.env.FC_SEED ?? Date.now() % 2 ** 31) });
  let compared = 0;
  for (let from = 0; from < pairs.length; from += BATCH) {
    const batch = pairs.slice(from, from + BATCH);
    const real = await tcpdBatchDecisions(
      batch.map((p) => ({ text: p.deny, allow: p.allow, queries: p.queries })),
      controls,
    );
    batch.forEach((p, n) => {
      const product = productDecisions(p.allow, p.deny, p.queries);
      p.queries.forEach((query, q) => {
        assert.equal(
          product[q],
          real[n][q],
          `${query.daemon} from ${query.address}: the product says ${product[q] ? 'denied' : 'granted'}, libwrap the other\n--- hosts.allow\n${p.allow}--- hosts.deny\n${p.deny}`,
        );
      });
      compared += p.queries.length;
    });
  }
  assert.ok(compared > 0);
  t.diagnostic(`${pairs.length} random pairs; ${compared} decisions compared`);
});
