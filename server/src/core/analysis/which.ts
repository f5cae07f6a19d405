/**
 * Which entries of a list decide a query (an address, a CIDR, a range, an
 * AS or a provider, resolved to addresses), as the list's firewall decides:
 * the addresses of the query each scope blocks by its own rule, and each
 * entry that holds any of them with the addresses it decides — in a union
 * every entry holding an address blocks it; by the most specific entry,
 * each address is decided by the smallest block holding it (a range as its
 * CIDR blocks, as ipset and pf store it; of equal blocks, the first); by
 * the first match, by the first rule holding it. Where the rule is more
 * than that (hosts.deny's EXCEPT, iptables' chains), a blocking entry is
 * credited with the addresses it holds that the scope blocks, and an
 * exception with those it holds that the scope does not.
 */
import { AddressSet, forEachCidrOfRange } from '../addresses/addressSet';
import { IPV4, IPV6, type Family } from '../addresses/family';
import type { BlocklistDocument } from '../document/document';
import type { Scope } from '../document/scopes';
import type { AuditResult } from './audit';
import type { AwayPlace } from './facts';
import type { GrantedFirst } from './hostsAllow';

/** An exact set of addresses in each family. */
export interface Addresses {
  readonly ipv4: AddressSet<number>;
  readonly ipv6: AddressSet<bigint>;
}

export type MatchRole = 'blocks' | 'excepts' | 'lists' | 'conditional';

export interface Match {
  readonly entry: number;
  readonly line: number;
  readonly text: string;
  readonly version: 4 | 6;
  /**
   * What the entry is: `blocks` (a blocking entry), `excepts` (an exception), `lists` (an entry of an allowlist scope),
   * `conditional` (a rule that matches only some traffic, which decides nothing about an address as such).
   */
  readonly role: MatchRole;
  /** Addresses of the query the entry holds. */
  readonly overlap: bigint;
  /** Of those, the ones it decides under its scope's rule (0 for a conditional rule). */
  readonly decided: bigint;
}

export interface ScopeAnswer {
  readonly scope: Scope;
  /** The query's addresses the scope blocks (or, for an allowlist, allows) by its own rule. */
  readonly decided: Addresses;
  readonly matches: readonly Match[];
  /** A hosts.deny daemon's: the query's addresses the hosts.allow beside it decides first, and its first line that does. */
  readonly grantedFirst?: { readonly addresses: Addresses; readonly place?: AwayPlace };
}

export interface WhichAnswer {
  /** The query's addresses the file blocks: what its blocking scopes block of it. */
  readonly blocked: Addresses;
  /** The scopes with an entry that holds any of the query, in the order of their first such entry. */
  readonly scopes: readonly ScopeAnswer[];
}

export function which(document: BlocklistDocument, result: AuditResult, query: Addresses): WhichAnswer {
  const table = document.entries;
  const holding = new Map<number, number[]>();
  for (let k = 0; k < table.count; k++) {
    const held = table.version[k] === 4 ? query.ipv4.overlaps(table.lo4[k], table.hi4[k]) : query.ipv6.overlaps(table.lo6[k], table.hi6[k]);
    if (!held) continue;
    const entries = holding.get(table.scope[k]) ?? [];
    holding.set(table.scope[k], entries);
    entries.push(k);
  }
  const sets = new Map(result.facts.scopeSets.map((set) => [set.scope, set]));
  const scopes = [...holding].map(([id, entries]): ScopeAnswer => {
    const scope = document.scopes[id];
    const set = sets.get(id);
    const decided = {
      ipv4: set ? set.blocked4.intersection(query.ipv4) : AddressSet.empty(IPV4),
      ipv6: set ? set.blocked6.intersection(query.ipv6) : AddressSet.empty(IPV6),
    };
    const v4 = entries.filter((k) => table.version[k] === 4);
    const v6 = entries.filter((k) => table.version[k] === 6);
    const deciding = new Map([
      ...decisions(IPV4, query.ipv4, decided.ipv4, scope, document, v4, (k) => [table.lo4[k], table.hi4[k]]),
      ...decisions(IPV6, query.ipv6, decided.ipv6, scope, document, v6, (k) => [table.lo6[k], table.hi6[k]]),
    ]);
    const matches = entries.map((k): Match => {
      const role: MatchRole = table.conditional[k] ? 'conditional' : scope.role === 'allow' ? 'lists' : table.allow[k] ? 'excepts' : 'blocks';
      const overlap = table.version[k] === 4 ? query.ipv4.clip(table.lo4[k], table.hi4[k]).size() : query.ipv6.clip(table.lo6[k], table.hi6[k]).size();
      const text = document.text.slice(table.start[k], table.end[k]);
      return { entry: k, line: table.line[k], text, version: table.version[k] as 4 | 6, role, overlap, decided: deciding.get(k) ?? 0n };
    });
    return { scope, decided, matches, ...grantedFirst(result.facts.grantedFirst, scope, query) };
  });
  return { blocked: { ipv4: result.blocked4.intersection(query.ipv4), ipv6: result.blocked6.intersection(query.ipv6) }, scopes };
}

/** What the hosts.allow beside a hosts.deny decides first of `query` for the daemon of `scope`, if anything. */
function grantedFirst(granted: GrantedFirst | undefined, scope: Scope, query: Addresses): Pick<ScopeAnswer, 'grantedFirst'> {
  if (!granted) return {};
  const matched = granted.matched(scope.name);
  const addresses = { ipv4: matched.ipv4.intersection(query.ipv4), ipv6: matched.ipv6.intersection(query.ipv6) };
  if (addresses.ipv4.isEmpty && addresses.ipv6.isEmpty) return {};
  const place = addresses.ipv4.isEmpty ? granted.placeOf(scope.name, 6, addresses.ipv6.start(0)) : granted.placeOf(scope.name, 4, addresses.ipv4.start(0));
  return { grantedFirst: { addresses, ...(place ? { place } : {}) } };
}

/** How many addresses of `query` each of `entries` (one family of one scope, in document order) decides. */
function decisions<A extends number | bigint>(
  family: Family<A>,
  query: AddressSet<A>,
  decided: AddressSet<A>,
  scope: Scope,
  document: BlocklistDocument,
  entries: readonly number[],
  bounds: (k: number) => [A, A],
): Map<number, bigint> {
  const table = document.entries;
  const counts = new Map<number, bigint>();
  const deciders = entries.filter((k) => !table.conditional[k]);
  if (scope.evaluation === 'union') {
    for (const k of deciders) counts.set(k, query.clip(...bounds(k)).size());
  } else if (scope.evaluation === 'first-match' || scope.evaluation === 'most-specific') {
    // The candidates in the order the rule tries them; each takes what the ones before it left.
    const candidates = deciders.map((k, order) => ({ k, order, bounds: bounds(k), prefix: 0 }));
    const ordered = scope.evaluation === 'first-match' ? candidates : blocksBySpecificity(family, candidates);
    let left = query;
    for (const {
      k,
      bounds: [lo, hi],
    } of ordered) {
      const taken = left.clip(lo, hi);
      if (taken.isEmpty) continue;
      counts.set(k, (counts.get(k) ?? 0n) + taken.size());
      left = left.difference(taken);
    }
  } else {
    for (const k of deciders) {
      const [lo, hi] = bounds(k);
      const inScope = decided.clip(lo, hi).size();
      counts.set(k, table.allow[k] ? query.clip(lo, hi).size() - inScope : inScope);
    }
  }
  return counts;
}

interface Candidate<A> {
  readonly k: number;
  readonly order: number;
  readonly bounds: [A, A];
  readonly prefix: number;
}

/** Each candidate as the CIDR blocks of its range, the most specific first, of equal ones the first in the file. */
function blocksBySpecificity<A extends number | bigint>(family: Family<A>, candidates: readonly Candidate<A>[]): Candidate<A>[] {
  const blocks: Candidate<A>[] = [];
  for (const { k, order, bounds } of candidates) {
    forEachCidrOfRange(family, bounds[0], bounds[1], (network, prefix, last) => {
      blocks.push({ k, order, bounds: [network, last], prefix });
    });
  }
  return blocks.sort((a, b) => b.prefix - a.prefix || a.order - b.order);
}
