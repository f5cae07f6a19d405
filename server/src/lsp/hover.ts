/** Hover: what an entry blocks, exactly; elsewhere, the document's totals. */
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { formatAddresses, formatAmount, formatPercent, formatShare } from '../core/addresses/display';
import { formatCount } from '../core/primitives/formatCount';
import { describeEntry, summarize, type EntryDescription } from '../core/analysis/describe';
import type { Evaluation } from '../core/formats/format';
import { ageInDays, dataNote, type DataAge } from '../core/ownership/dataAbout';
import { namedOwners, providerTotals, type Ownership } from '../core/ownership/shares';
import { AddressSet } from '../core/addresses/addressSet';
import { IPV4, IPV6 } from '../core/addresses/family';
import { excerpt } from '../core/primitives/excerpt';
import { markdownText } from '../core/primitives/markdown';
import type { Analysis } from './analysis';
import type { Since } from './baselines';
import { toRange } from './convert';

/** `today` dates the ownership data in the footer; `since`, the document's change since its baseline, says what an added entry adds. */
export function hover(textDocument: TextDocument, analysis: Analysis, position: Position, today: Date, since?: Since): Hover {
  const table = analysis.document.entries;
  // On an entry, or anywhere on a line that holds one; elsewhere, the document's totals.
  let k = table.entryAt(position.line, textDocument.offsetAt(position));
  if (k < 0) k = table.entryAt(position.line);
  if (k < 0) return { contents: { kind: MarkupKind.Markdown, value: summaryMarkdown(analysis) } };
  return entryHover(textDocument, analysis, k, today, since);
}

function entryHover(textDocument: TextDocument, analysis: Analysis, k: number, today: Date, since: Since | undefined): Hover {
  const { document, index, networks, result } = analysis;
  const table = document.entries;
  const data = networks && { about: networks.index.about, ageDays: ageInDays(networks.index.about, today) };
  const added = since?.addedLines.has(table.line[k]) ? addedSince(analysis, k, since) : undefined;
  const markdown = entryMarkdown(describeEntry(document, index, k, networks, result.facts.context), data);
  const before = blockedBefore(analysis, k);
  return {
    contents: { kind: MarkupKind.Markdown, value: [added, markdown, before].filter(Boolean).join('\n\n') },
    range: toRange(textDocument, table.start[k], table.end[k]),
  };
}

/** "In its group: 128 of 256 addresses (50 %) are blocked by the lists loaded before this one", for a group's list; else undefined. */
function blockedBefore({ document, result }: Analysis, k: number): string | undefined {
  const before = result.facts.blockedBefore;
  if (!before) return undefined;
  const table = document.entries;
  const version = table.version[k] as 4 | 6;
  const count = version === 4 ? before.ipv4.clip(table.lo4[k], table.hi4[k]).size() : before.ipv6.clip(table.lo6[k], table.hi6[k]).size();
  if (count === 0n) return undefined;
  const total = table.size(k);
  const verb = count === 1n ? 'is' : 'are';
  return `**In its group:** ${formatAmount(version, count)} of ${formatAddresses(version, total)} (${formatPercent(count, total)}) ${verb} blocked by the lists loaded before this one.`;
}

/** "Added since HEAD: +1,048,576 addresses, 901,120 of Google Cloud": what entry `k` blocks that the file did not block at its baseline. */
function addedSince({ document, networks }: Analysis, k: number, { label, change }: Since): string {
  const table = document.entries;
  const version = table.version[k] as 4 | 6;
  const fresh4 = version === 4 ? change.added4.clip(table.lo4[k], table.hi4[k]) : AddressSet.empty(IPV4);
  const fresh6 = version === 6 ? change.added6.clip(table.lo6[k], table.hi6[k]) : AddressSet.empty(IPV6);
  const count = version === 4 ? fresh4.size() : fresh6.size();
  const top = count > 0n && networks ? providerTotals(networks.providers, fresh4, fresh6)[0] : undefined;
  const owner = top ? `, ${formatAmount(version, top.addresses)} of ${markdownText(top.provider.name)}` : '';
  return `**Added since ${markdownText(label)}:** ${count > 0n ? `+${formatAddresses(version, count)}${owner}` : 'no address the list did not block already'}`;
}

/**
 * The answer first: one line with the count, the largest owners and what the target gets; then the owner table; then the
 * details (exact count, bounds, netmask, share of the space, special-purpose ranges, overlaps, feeds) and, whenever owners
 * are named, which data named them (`data`, with its age).
 */
export function entryMarkdown(d: EntryDescription, data?: DataAge): string {
  const blocks = [summaryLine(d)];
  if (d.ownership) blocks.push(ownerTable(d.ownership, d.otherOrigins));
  blocks.push(detailLines(d));
  if (d.special.length > 0) blocks.push(['**Special-purpose addresses:**', ...d.special.map((range) => `- \`${range.cidr}\` ${range.name} (${range.rfc})`)].join('\n'));
  if (d.overlapCount > 0) {
    const listed = d.overlaps.map((other) => `- line ${other.line + 1}: \`${other.text}\` (${formatCount(other.shared)} shared)`);
    if (d.overlapCount > d.overlaps.length) listed.push(`- … and ${d.overlapCount - d.overlaps.length} more`);
    blocks.push([`**Overlaps ${d.overlapCount} other ${d.overlapCount === 1 ? 'entry' : 'entries'}:**`, ...listed].join('\n'));
  }
  if (d.feeds.length > 0) {
    const listed = d.feeds.slice(0, 5).map((m) => `${markdownText([m.provider, m.service, m.region].filter(Boolean).join(' '))} (${formatCount(m.addresses)})`);
    // Each feed's day, where the feed says it: an imported 2018 feed tells 2018's services.
    const dated = [...new Set(d.feeds.flatMap((m) => (m.date ? [`${m.source} of ${m.date}`] : [])))];
    blocks.push(
      `**Provider feeds${dated.length > 0 ? ` (${markdownText(dated.join(', '))})` : ''}:** ${listed.join(' · ')}${d.feeds.length > 5 ? ` · … ${d.feeds.length - 5} more` : ''}`,
    );
  }
  if (d.ownership && data) blocks.push(`_${markdownText(dataNote(data))}_`);
  return blocks.join('\n\n');
}

/** How many owners the summary line names. */
const OWNERS_NAMED = 3;

/** "**35.192.0.0/12** blocks **1,048,576 addresses** · Google Cloud 901,120 (85.9 %), … · none in the target telegram". */
function summaryLine(d: EntryDescription): string {
  const parts = [`**${markdownText(d.text)}** ${d.role === 'allow' ? 'allows' : 'blocks'} **${formatAddresses(d.version, d.count)}**`];
  const share = (addresses: bigint) => `${formatAmount(d.version, addresses)} (${formatPercent(addresses, d.count)})`;
  const o = d.ownership;
  if (o) {
    // Known providers when there are any, else the largest organisations.
    const named = namedOwners(o, o.providers.length > 0);
    const owners = named.slice(0, OWNERS_NAMED).map((owner) => `${markdownText(owner.name)} ${share(owner.addresses)}`);
    if (named.length > OWNERS_NAMED) owners.push(`${named.length - OWNERS_NAMED} more ${o.providers.length > 0 ? 'providers' : 'organisations'}`);
    if (o.unannounced > 0n) owners.push(`unannounced ${share(o.unannounced)}`);
    if (owners.length > 0) parts.push(owners.join(', '));
  }
  if (d.target && d.role === 'block') {
    const { inside, label } = d.target;
    const target = `the target ${markdownText(excerpt(label))}`;
    parts.push(inside === 0n ? `none in ${target}` : inside === d.count ? `all in ${target}` : `${share(inside)} in ${target}`);
  }
  return parts.join(' · ');
}

/** The scope, the exact count where the summary rounds it, the bounds, the prefix and the share of the space, one per line. */
function detailLines(d: EntryDescription): string {
  const lines: string[] = [];
  if (d.scope) lines.push(`In ${markdownText(d.scope.label)}${d.scope.role === 'allow' ? ', an allowlist' : ''}: ${HOW_DECIDED[d.scope.evaluation]}.`);
  const exactly = `${formatCount(d.count)} ${d.count === 1n ? 'address' : 'addresses'}`;
  if (formatAddresses(d.version, d.count) !== exactly) lines.push(`Exactly ${exactly}`);
  lines.push(`First – last: \`${d.first}\` – \`${d.last}\``);
  if (d.prefix !== undefined) lines.push(`Prefix: /${d.prefix}${d.netmask ? ` · netmask \`${d.netmask}\`` : ''}`);
  lines.push(`Share of the IPv${d.version} space: ${formatShare(d.share)}`);
  // Two trailing spaces: a line break inside one paragraph.
  return lines.join('  \n');
}

/** How a scope decides an address, in a few words. */
const HOW_DECIDED: Readonly<Record<Evaluation, string>> = {
  union: 'every entry counts',
  'most-specific': 'the most specific entry decides',
  'first-match': 'the first rule that matches decides',
  'line-except': 'each rule blocks its list less its own exceptions, and the first rule that holds an address decides',
};

const TOP_HOLDERS = 5;

/** ASNs named in one row of the owner table. */
const ASNS_LISTED = 4;

/** Who announces the entry's addresses: the largest organisations with their ASNs, the rest in one row, what no one announces, and who else announces some. */
function ownerTable(o: Ownership, otherOrigins: readonly number[]): string {
  const share = (part: bigint) => formatPercent(part, o.total);
  const lines = ['| organisation | ASNs | addresses | share |', '|---|---|---:|---:|'];
  for (const organisation of o.organisations.slice(0, TOP_HOLDERS)) {
    const asns = organisation.asns.slice(0, ASNS_LISTED).map((a) => (organisation.asns.length > 1 ? `AS${a.asn} ${formatCount(a.addresses)}` : `AS${a.asn}`));
    if (organisation.asns.length > ASNS_LISTED) asns.push(`${organisation.asns.length - ASNS_LISTED} more`);
    lines.push(`| ${markdownText(organisation.name)} | ${asns.join(' · ')} | ${formatCount(organisation.addresses)} | ${share(organisation.addresses)} |`);
  }
  if (o.organisations.length > TOP_HOLDERS) {
    const rest = o.organisations.slice(TOP_HOLDERS).reduce((sum, organisation) => sum + organisation.addresses, 0n);
    lines.push(`| ${o.organisations.length - TOP_HOLDERS} more | | ${formatCount(rest)} | ${share(rest)} |`);
  }
  if (o.unannounced > 0n) lines.push(`| not announced | | ${formatCount(o.unannounced)} | ${share(o.unannounced)} |`);
  if (otherOrigins.length > 0) {
    lines.push('', `Also announced by ${otherOrigins.map((asn) => `AS${asn}`).join(', ')}: prefixes with several origins, counted above under their first.`);
  }
  return lines.join('\n');
}

function summaryMarkdown({ document, result }: Analysis): string {
  const s = summarize(document, result);
  return [
    `**Blocklist** (${s.format})`,
    '',
    '| | entries | unique addresses | share of the space |',
    '|---|---:|---:|---:|',
    `| IPv4 | ${formatCount(s.ipv4.entries)} | ${formatCount(s.ipv4.addresses)} | ${formatShare(s.ipv4Share)} |`,
    `| IPv6 | ${formatCount(s.ipv6.entries)} | ${formatAmount(6, s.ipv6.addresses)} | ${formatShare(s.ipv6Share)} |`,
    '',
    `${formatCount(s.duplicates)} duplicates · ${formatCount(s.exceptions)} exceptions · ${formatCount(s.problems)} reading problems`,
  ].join('\n');
}
