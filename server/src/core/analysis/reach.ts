/**
 * How far an entry reaches, told once. Size (overbroad), owners
 * (known-network, collateral) and target (outside-target) are one story:
 * when an entry has several of them, they become one `reach` finding whose
 * sentence gives the count, the largest owners with their shares and what
 * the target gets, and names its components so a filter on any finds it;
 * each component's own message goes to the related information.
 */
import { formatAddresses, formatAmount, formatPercent } from '../addresses/display';
import type { BlocklistDocument } from '../document/document';
import type { Networks } from '../ownership/networks';
import { namedOwners, ownershipOf } from '../ownership/shares';
import { excerpt } from '../primitives/excerpt';
import type { NetworkContext } from './facts';
import type { EntryCode } from './findingCodes';
import { overbroadLimit } from './messages';
import { addressesInTarget } from './target';
import type { AuditOptions } from './options';
import { formatCount } from '../primitives/formatCount';

/** How many owners the sentence names. */
const OWNERS_NAMED = 3;

/**
 * The sentence after the entry's text ("blocks 1,048,576 addresses (more
 * than a /16), none of them in the target telegram: Google Cloud 901,120
 * (85.9 %), … (overbroad, known-network, outside-target)"): it depends on the
 * entry's addresses and `codes` only, so equal entries share it.
 */
export function reachSentence(
  document: BlocklistDocument,
  k: number,
  codes: readonly EntryCode[],
  options: AuditOptions,
  context: NetworkContext,
  networks: Networks | undefined,
): string {
  const table = document.entries;
  const version = table.version[k] as 4 | 6;
  const lo = table.lo(k);
  const hi = table.hi(k);
  const total = hi - lo + 1n;
  let sentence = `blocks ${formatAddresses(version, total)}`;
  if (codes.includes('overbroad')) sentence += ` (more than a /${overbroadLimit(table, k, options)})`;
  if (codes.includes('outside-target') && context.target) {
    const inside = addressesInTarget(table, k, context.target);
    const target = `the target ${excerpt(context.targetLabel)}`;
    sentence += inside === 0n ? `, none of them in ${target}` : `, ${formatAddresses(version, total - inside)} (${formatPercent(total - inside, total)}) of them outside ${target}`;
  }
  const providers = codes.includes('known-network');
  if (networks && (providers || codes.includes('collateral'))) {
    const ownership = ownershipOf(networks, version, lo, hi, OWNERS_NAMED);
    // Known providers when they are the point, else the organisations.
    const named = namedOwners(ownership, providers).slice(0, OWNERS_NAMED);
    const owners = named.map((owner) => `${excerpt(owner.name)} ${formatAmount(version, owner.addresses)} (${formatPercent(owner.addresses, total)})`);
    if (codes.includes('collateral')) owners.push(`${formatCount(ownership.organisationCount)} organisations in all`);
    if (ownership.unannounced > 0n) owners.push(`unannounced ${formatAmount(version, ownership.unannounced)}`);
    sentence += `: ${owners.join(', ')}`;
  }
  return `${sentence} (${codes.join(', ')}).`;
}
