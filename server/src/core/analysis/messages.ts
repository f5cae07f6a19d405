/**
 * The words of each entry finding, with its exact numbers and the other
 * places it involves. Written only for the findings an audit returns.
 */
import { formatAddress, formatAddresses, formatPercent } from '../addresses/display';
import type { BlocklistDocument, EntryTable } from '../document/document';
import type { FormatId } from '../formats/format';
import type { Networks } from '../ownership/networks';
import { organisationLabel } from '../ownership/organisations';
import { providerShares } from '../ownership/shares';
import { excerpt } from '../primitives/excerpt';
import type { AwayPlace, EntryFact, NetworkContext, Place } from './facts';
import { entryStands } from './entryStands';
import type { AuditOptions } from './options';
import { specialRangesOverlapping } from './specialRanges';
import { addressesInTarget } from './target';

/** Another place a finding involves (the entry a duplicate repeats, say). */
export interface RelatedPlace {
  readonly line: number;
  readonly start: number;
  readonly end: number;
  readonly message: string;
  /** When another file holds the place (an allowlist's entry): that file, and the place's column on its line (`start` and `end` are offsets there). */
  readonly elsewhere?: { readonly file: string; readonly column: number };
}

export interface EntryMessage {
  readonly message: string;
  readonly related?: readonly RelatedPlace[];
}

/** The last segment of a path or URI. */
export function fileName(file: string): string {
  return decodeURIComponent(file.slice(file.lastIndexOf('/') + 1));
}

/** A related place in another file. */
export function elsewhere(away: AwayPlace, message: string): RelatedPlace {
  return { line: away.line, start: away.start, end: away.end, message, elsewhere: { file: away.file, column: away.column } };
}

/** Whether entry k passes the error threshold of overbroad entries, not just the warning one. */
export function pastOverbroadError(table: EntryTable, k: number, options: AuditOptions): boolean {
  const o = options.overbroad;
  return table.version[k] === 4 ? table.hi4[k] - table.lo4[k] >= 2 ** (32 - o.ipv4Error) : table.hi6[k] - table.lo6[k] >= 1n << BigInt(128 - o.ipv6Error);
}

/** What, in each format, makes an entry decide only under a condition: said in its hint. */
const CONDITIONS: Partial<Record<FormatId, string>> = {
  iptables: 'a protocol, port, interface, negation or second address of its rule; a chain only such rules jump to; -s beside --src-range',
  nftables:
    "a port, protocol, interface, negation or second address of its rule; a jump, goto or return; a map's value or a port beside it in a tuple; a rule before it that decides by a verdict map, a negation, a jump or for every address, or by a set holding its addresses; a set only rules with such a condition name, or whose rules let it through first; a chain jumps send only some traffic, or whose caller accepts it first; a flush or delete later in the file, or a rule inserted in its chain; a timeout",
  ipset: "a port or interface beside it; a flush, destroy, del, swap or rename later in the file; its set's netmask; a timeout",
  mikrotik: 'a timeout= or dynamic=yes; a block that may not run; a remove, disable or set that takes or may take it away; an import RouterOS stops before it',
  nginx: 'a return that answers first, or satisfy any',
  apache: 'a <Limit>, <If>, or a section Apache 2.4 may skip; Satisfy Any; another provider beside it (Require host, valid-user)',
  'hosts-deny': 'a second EXCEPT, a host name among the exceptions, or daemon@host',
};

function conditionOf(document: BlocklistDocument): string {
  const conditions = CONDITIONS[document.format.id];
  return conditions === undefined ? ' of its rule' : ` (${conditions})`;
}

/** The threshold an overbroad entry k passes: the error one's prefix when it passes that, else the warning one's. */
export function overbroadLimit(table: EntryTable, k: number, options: AuditOptions): number {
  const o = options.overbroad;
  const pastError = pastOverbroadError(table, k, options);
  return table.version[k] === 4 ? (pastError ? o.ipv4Error : o.ipv4Warning) : pastError ? o.ipv6Error : o.ipv6Warning;
}

export function entryMessage(document: BlocklistDocument, fact: EntryFact, options: AuditOptions, context: NetworkContext, networks: Networks | undefined): EntryMessage {
  const table = document.entries;
  const k = fact.entry;
  const other = fact.other;
  // The other side: an entry, or a place that holds none (an iptables policy, a rule without an address).
  const place = other >= 0 ? { line: table.line[other], start: table.start[other], end: table.end[other] } : fact.at;
  const otherText = place ? document.text.slice(place.start, place.end) : '';
  const otherLine = place ? place.line + 1 : 0;
  switch (fact.code) {
    case 'duplicate':
      return { message: `Duplicate of line ${otherLine} (${otherText}).`, related: relatedAt(place, 'First listed here.') };
    case 'covered':
      return { message: coveredMessage(document, k, reference(document, place, otherLine, otherText)), related: relatedAt(place, 'This entry contains it.') };
    case 'shadowed': {
      if (document.format.id === 'iptables') {
        return {
          message: `Never takes effect: all traffic with its addresses is decided before it gets here, some or all the other way: by ${reference(document, place, otherLine, otherText)}, among others.`,
          related: relatedAt(place, 'Decides some of these addresses the other way.'),
        };
      }
      const scope = document.scopes[table.scope[k]];
      const by = scope.evaluation === 'first-match' ? 'entries before it' : scope.evaluation === 'line-except' ? 'its own rule or other rules' : 'more specific entries';
      return {
        message: `Never takes effect: ${by} in ${scope.label}, such as line ${otherLine} (${otherText}), decide all of its addresses, some or all the other way.`,
        related: relatedAt(place, 'Decides some of these addresses the other way.'),
      };
    }
    case 'covered-elsewhere': {
      const away = fact.away;
      const by = away ? `, such as ${fileName(away.file)} line ${away.line + 1} (${away.text})` : '';
      const none = table.size(k) === 1n ? 'its address is' : `none of its ${formatAddresses(table.version[k] as 4 | 6, table.size(k))} is`;
      return {
        message: `Already blocked by the lists loaded before this one in its group${by}: ${none} new to the set.`,
        ...(away ? { related: [elsewhere(away, 'Blocks these addresses first.')] } : {}),
      };
    }
    case 'granted-first': {
      const away = fact.away;
      const by = away ? `${fileName(away.file)} line ${away.line + 1} (${away.text})` : 'the hosts.allow beside it';
      return {
        message: `Never denies anything: ${by} grants every address of it first, for every daemon of its rule, and hosts.deny is asked only what hosts.allow does not decide.`,
        ...(away ? { related: [elsewhere(away, 'Decides these addresses first.')] } : {}),
      };
    }
    case 'ineffective-exception':
      return { message: `This exception excepts nothing: no blocking entry of ${document.scopes[table.scope[k]].label} holds its addresses.` };
    case 'conditional':
      return {
        message: `Decides only under a further condition${conditionOf(document)}: not counted as ${table.allow[k] ? 'excepting' : 'blocking'} these addresses.`,
      };
    case 'partial-overlap': {
      const shared = minBig(table.hi(k), table.hi(other)) - maxBig(table.lo(k), table.lo(other)) + 1n;
      return { message: `Overlaps line ${otherLine} (${otherText}) on ${formatAddresses(table.version[k] as 4 | 6, shared)}.`, related: relatedAt(place, 'Overlapping entry.') };
    }
    case 'mergeable': {
      const merged = `${formatAddress(table.version[k], table.lo(other))}/${table.prefix[k] - 1}`;
      return { message: `Together with line ${otherLine} (${otherText}) this is exactly ${merged}.`, related: relatedAt(place, 'Adjacent entry.') };
    }
    case 'special-purpose': {
      const ranges = specialRangesOverlapping(table.version[k] as 4 | 6, table.lo(k), table.hi(k));
      const names = ranges.slice(0, 3).map((r) => `${r.cidr} ${r.name} (${r.rfc})`);
      const more = ranges.length > 3 ? ` and ${ranges.length - 3} more` : '';
      return { message: `Includes special-purpose addresses: ${names.join('; ')}${more}.` };
    }
    case 'overbroad': {
      const size = `${formatAddresses(table.version[k] as 4 | 6, table.size(k))}, more than a /${overbroadLimit(table, k, options)}`;
      // An iptables policy, or a rule without an address (iptables or nftables), blocks what nothing before it decided: it says so.
      const stands = entryStands(document, k);
      if (stands === 'policy') {
        return {
          message: `The policy of ${document.scopes[table.scope[k]].label} blocks every address its rules do not decide first: up to ${size}. Check that all of them are meant.`,
        };
      }
      if (stands === 'target') return { message: `Blocks every address that reaches this rule undecided: up to ${size}. Check that all of them are meant.` };
      return { message: `Blocks ${size}: check that all of them are meant.` };
    }
    case 'known-network': {
      const providers = providerShares(networks!, table.version[k] as 4 | 6, table.lo(k), table.hi(k));
      const parts = providers
        .slice(0, 3)
        .map(
          (share) =>
            `${formatAddresses(table.version[k] as 4 | 6, share.addresses)} of ${share.provider.name} (${formatPercent(share.addresses, table.size(k))} of the entry, ${share.asns.map((asn) => `AS${asn}`).join(' ')})`,
        );
      const more = providers.length > 3 ? ` and ${providers.length - 3} more providers` : '';
      const services = serviceDetail(networks!, table.version[k] as 4 | 6, table.lo(k), table.hi(k));
      return { message: `Blocks ${parts.join(', ')}${more}.${services ? ` The providers' feeds list ${services}.` : ''}` };
    }
    case 'collateral': {
      const holders = networks!.index.holders(table.version[k] as 4 | 6, table.lo(k), table.hi(k), 3);
      const top = holders.largest.map(
        (o) =>
          `${organisationLabel(
            o.name,
            o.asns.map((share) => share.asn),
          )} ${formatAddresses(table.version[k] as 4 | 6, o.addresses)}`,
      );
      return {
        message: `Spans ${holders.count} organisations, more than ${options.networks.maxOrganisations}: ${top.join('; ')}${holders.count > 3 ? '; …' : ''}. Narrow it to the one meant.`,
      };
    }
    case 'protected': {
      const hit = context.protected.items.filter((item) =>
        table.version[k] === 4 ? item.ipv4.overlaps(table.lo4[k], table.hi4[k]) : item.ipv6.overlaps(table.lo6[k], table.hi6[k]),
      );
      const blocked = hit.map((item) => {
        const shared = table.version[k] === 4 ? item.ipv4.clip(table.lo4[k], table.hi4[k]).size() : item.ipv6.clip(table.lo6[k], table.hi6[k]).size();
        return `${item.label} (${formatAddresses(table.version[k] as 4 | 6, shared)})`;
      });
      const listed = hit.flatMap(({ origin }) =>
        origin
          ? [
              {
                line: origin.line,
                start: origin.start,
                end: origin.end,
                message: 'Allowed by this entry of an allowlist.',
                elsewhere: { file: origin.file, column: origin.column },
              },
            ]
          : [],
      );
      return { message: `Blocks protected networks: ${blocked.join(', ')}. Exclude them or remove the entry.`, ...(listed.length > 0 ? { related: listed } : {}) };
    }
    case 'outside-target': {
      const target = context.target!;
      const inside = addressesInTarget(table, k, target);
      const total = table.size(k);
      const version = table.version[k] as 4 | 6;
      const outside =
        inside > 0n
          ? `${formatAddresses(version, total - inside)} of ${formatAddresses(version, total)} (${formatPercent(total - inside, total)}) are`
          : total === 1n
            ? 'Its address is'
            : `All ${formatAddresses(version, total)} are`;
      return { message: `${outside} outside the target ${excerpt(context.targetLabel)}.` };
    }
  }
}

/** The other side of a fact, as its message names it. */
function reference(document: BlocklistDocument, place: Place | undefined, line: number, text: string): string {
  if (place) return `line ${line} (${text})`;
  return document.format.id === 'iptables' ? 'the ACCEPT of a chain the file gives no policy' : 'other entries';
}

/** The other side of a fact as its related place, saying `message`; none when the fact has no other side. */
function relatedAt(place: Place | undefined, message: string): RelatedPlace[] {
  return place ? [{ line: place.line, start: place.start, end: place.end, message }] : [];
}

/** Why removing covered entry k changes nothing, in its scope's terms; `other` names the entry that decides for it. */
function coveredMessage(document: BlocklistDocument, k: number, other: string): string {
  const scope = document.scopes[document.entries.scope[k]];
  switch (scope.evaluation) {
    case 'union':
      return `Already blocked by ${other}: this entry adds no address.`;
    case 'first-match':
      // iptables: what decides may stand in another chain, or its chain may never be sent these addresses.
      return document.format.id === 'iptables'
        ? `Never takes effect: all traffic with its addresses is decided before it gets here, the same way: by ${other}, among others.`
        : `Never takes effect: ${other} and the entries before it in ${scope.label} already decide all of its addresses the same way.`;
    case 'most-specific':
      return `Already ${document.entries.allow[k] ? 'excepted' : 'blocked'} by ${other}, the smallest entry of ${scope.label} holding it: removing this one changes nothing.`;
    case 'line-except':
      return document.entries.allow[k]
        ? `Already excepted by ${other}, an exception of the same rule: removing this one changes nothing.`
        : `Already blocked in ${scope.label} by ${other}, and by any other rule holding its addresses, each less its own exceptions: removing this one changes nothing.`;
  }
}

/** The largest services and regions the providers' feeds name inside [lo, hi], e.g. `EC2 eu-central-1 (131,072 addresses)`. */
function serviceDetail(networks: Networks, version: 4 | 6, lo: bigint, hi: bigint): string {
  const totals = new Map<string, bigint>();
  for (const match of networks.feeds.lookup(version, lo, hi)) {
    const label = [match.service, match.region].filter(Boolean).join(' ');
    if (label) totals.set(label, (totals.get(label) ?? 0n) + match.addresses);
  }
  const top = [...totals].sort((a, b) => (a[1] > b[1] ? -1 : a[1] < b[1] ? 1 : 0)).slice(0, 3);
  return top.map(([label, addresses]) => `${label} (${formatAddresses(version, addresses)})`).join(', ');
}

const minBig = (a: bigint, b: bigint) => (a < b ? a : b);
const maxBig = (a: bigint, b: bigint) => (a > b ? a : b);
