/**
 * Lists of networks named the way people name them: CIDRs or ranges,
 * `AS13335`, or a provider (`cloudflare`, `Google Cloud`). Resolved to exact
 * address sets, using the ASN index for ASNs and providers.
 */
import type { AddressSet } from '../addresses/addressSet';
import type { AsnIndex } from './asnIndex';
import { ParsedEntry, parseEntry } from '../document/entry';
import { IPV4, IPV6 } from '../addresses/family';
import { IntervalBuilder } from '../addresses/intervalBuilder';
import type { Problem } from '../document/problem';
import { findProvider, PROVIDERS } from './providers';

export interface NamedNetworks {
  /** The spec as written. */
  readonly label: string;
  readonly ipv4: AddressSet<number>;
  readonly ipv6: AddressSet<bigint>;
  /** Where another list names it (an allowlist's entry); absent for a setting's names. */
  readonly origin?: Origin;
}

/** An entry of another file: the file as the caller names it (a path for the CLI, a URI for the server), its line, offsets and column there. */
export interface Origin {
  readonly file: string;
  readonly line: number;
  readonly start: number;
  readonly end: number;
  readonly column: number;
}

export interface ResolvedSpecs {
  readonly items: readonly NamedNetworks[];
  /** The union of all items. */
  readonly ipv4: AddressSet<number>;
  readonly ipv6: AddressSet<bigint>;
  /** Specs that name nothing known (a typo, or an ASN with no ASN data loaded). */
  readonly unknown: readonly string[];
}

export function resolveSpecs(specs: readonly string[], index: AsnIndex | undefined): ResolvedSpecs {
  const items: NamedNetworks[] = [];
  const unknown: string[] = [];
  const all4 = new IntervalBuilder(IPV4, 16);
  const all6 = new IntervalBuilder(IPV6, 16);
  for (const spec of specs) {
    const v4 = new IntervalBuilder(IPV4, 16);
    const v6 = new IntervalBuilder(IPV6, 16);
    if (!addSpec(spec.trim(), index, v4, v6)) {
      unknown.push(spec);
      continue;
    }
    const item = { label: spec.trim(), ipv4: v4.build(), ipv6: v6.build() };
    items.push(item);
    item.ipv4.forEachRange((lo, hi) => all4.add(lo, hi));
    item.ipv6.forEachRange((lo, hi) => all6.add(lo, hi));
  }
  return { items, ipv4: all4.build(), ipv6: all6.build(), unknown };
}

/** `resolved` and `more` together: their items one after the other, their unions joined. */
export function withNetworks(resolved: ResolvedSpecs, more: readonly NamedNetworks[]): ResolvedSpecs {
  if (more.length === 0) return resolved;
  const all4 = new IntervalBuilder(IPV4, 16);
  const all6 = new IntervalBuilder(IPV6, 16);
  for (const set of [resolved, ...more]) {
    set.ipv4.forEachRange((lo, hi) => all4.add(lo, hi));
    set.ipv6.forEachRange((lo, hi) => all6.add(lo, hi));
  }
  return { items: [...resolved.items, ...more], ipv4: all4.build(), ipv6: all6.build(), unknown: resolved.unknown };
}

function addSpec(spec: string, index: AsnIndex | undefined, v4: IntervalBuilder<number>, v6: IntervalBuilder<bigint>): boolean {
  const asn = /^AS(\d+)$/i.exec(spec);
  const provider = asn ? undefined : findProvider(spec);
  if (asn || provider) {
    if (!index) return false;
    let found = false;
    // The index keeps each ASN's ranges apart: as many steps as ranges found, whatever the number of specs.
    index.forEachRangeOfAsns(
      asn ? [Number(asn[1])] : provider!.asns,
      (lo, hi) => {
        v4.add(lo, hi);
        found = true;
      },
      (lo, hi) => {
        v6.add(lo, hi);
        found = true;
      },
    );
    return found;
  }
  const entry = new ParsedEntry();
  const problems: Problem[] = [];
  if (!parseEntry(spec, 0, spec.length, problems, entry)) return false;
  if (entry.version === 4) v4.add(entry.lo4, entry.hi4);
  else v6.add(entry.lo6, entry.hi6);
  return true;
}

/**
 * The target an audit narrows to, from its names: undefined when none is
 * named, or when a name in it names no known network (a typo: narrowing to
 * the other names would cut what it was meant to keep).
 */
export function usableTarget(specs: readonly string[], resolve: (specs: readonly string[]) => ResolvedSpecs): ResolvedSpecs | undefined {
  if (specs.length === 0) return undefined;
  const target = resolve(specs);
  return target.unknown.length === 0 ? target : undefined;
}

/** The provider id a mistyped name most likely meant (at most two letters off), if one is that close. */
export function closestProvider(name: string): string | undefined {
  const wanted = name.toLowerCase();
  let best: { id: string; distance: number } | undefined;
  for (const provider of PROVIDERS) {
    const distance = editDistance(wanted, provider.id, 2);
    if (distance <= 2 && (!best || distance < best.distance)) best = { id: provider.id, distance };
  }
  return best?.id;
}

/** Levenshtein distance between a and b, or `limit + 1` once it is sure to exceed `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    if (Math.min(...row) > limit) return limit + 1;
    previous = row;
  }
  return previous[b.length];
}
