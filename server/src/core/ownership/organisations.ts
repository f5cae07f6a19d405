/**
 * Organisations as people know them: one key for the autonomous systems and
 * name variants of one organisation (`Cloudflare, Inc.` AS13335 and
 * `Cloudflare Inc` AS202623 are one), so that "spans N organisations" counts
 * organisations, not spellings.
 *
 * An ASN of the provider catalog belongs to its provider. Any other holder
 * belongs to the organisation its normalised name names (case, punctuation,
 * legal forms and an AS handle before " - " set aside), which is the
 * provider's when one of the provider's ASNs bears that name. Placeholder
 * names (reserved, private-use, unnamed) are never merged: each such holder
 * is an organisation of its own.
 */
import { providerOfAsn } from './providers';

/** One (ASN, name) pair of the ASN data. */
export interface NamedHolder {
  readonly asn: number;
  readonly name: string;
}

/** Names that say no one holds the number: never a key shared between ASNs. */
const PLACEHOLDER = /^(?:-*\s*reserved(?:\s+as)?\s*-*|iana[-\s]*rsvd.*|private[-\s]+use(?:\s+as)?|unallocated|not\s+routed|unknown|none|n\/?a|as\s*\d*|[-\s]*)$/i;

/** An AS handle that some registries put before the organisation's name: `RMS-AS-AP - `, `CreditSuisseGroup-AS - `, `AS2638 - `. */
const AS_HANDLE = /^(?:\S+-AS(?:-[A-Z]{2})?|AS\d+) - /;

/** Legal forms, written without their dots, dropped from either end of a name. */
const LEGAL_FORMS = new Set(
  (
    'inc incorporated llc ltd limited co corp corporation company gmbh mbh ag kg bv nv sa sas sarl srl spa sl plc pty pte pvt ' +
    'pjsc jsc ojsc cjsc pao ooo zao oao llp lp kk oy oyj ab as asa sro ltda bhd sdn tbk pt cv de'
  ).split(' '),
);

/**
 * The key of an organisation name, or undefined for a placeholder:
 * lower case, without punctuation, legal forms or an AS handle.
 */
export function organisationKey(name: string): string | undefined {
  if (PLACEHOLDER.test(name.trim())) return undefined;
  const words = name
    .replace(AS_HANDLE, '')
    .toLowerCase()
    .replace(/[.,'"()]/g, '')
    .split(/[^\p{L}\p{N}&]+/u)
    .filter((word) => word.length > 0);
  let [first, last] = [0, words.length];
  while (last > first && LEGAL_FORMS.has(words[last - 1])) {
    last--;
    // "Private Limited" is India's legal form, but "private" alone can be part of a name.
    if ((words[last] === 'limited' || words[last] === 'ltd') && words[last - 1] === 'private') last--;
  }
  while (first < last && LEGAL_FORMS.has(words[first])) first++;
  return first < last ? words.slice(first, last).join(' ') : undefined;
}

/**
 * The organisation of each holder, as the index of its lead holder: the one
 * of its holders with the most addresses (`weight`; ties: the lower ASN, then
 * the first), whose name the organisation goes by.
 */
export function organisationLeads(holders: readonly NamedHolder[], weight: ArrayLike<number>): Uint32Array {
  const heavier = (h: number, g: number) => weight[h] - weight[g] || holders[g].asn - holders[h].asn || g - h;
  const byWeight = holders.map((_, h) => h).sort((h, g) => heavier(g, h));
  const names = holders.map(({ name }) => organisationKey(name));
  const providers = holders.map(({ asn }) => providerOfAsn(asn)?.id);
  // A name borne by a provider's ASN names that provider (the heaviest such ASN's, should two providers share a name).
  const providerOfName = new Map<string, string>();
  for (const h of byWeight) {
    const [name, provider] = [names[h], providers[h]];
    if (name !== undefined && provider !== undefined && !providerOfName.has(name)) providerOfName.set(name, provider);
  }
  // Provider keys have a colon, which no name key has.
  const keys = holders.map((_, h) => {
    const provider = providers[h] ?? (names[h] === undefined ? undefined : providerOfName.get(names[h]));
    return provider === undefined ? names[h] : `provider:${provider}`;
  });
  const leadOfKey = new Map<string, number>();
  for (const h of byWeight) {
    const key = keys[h];
    if (key !== undefined && !leadOfKey.has(key)) leadOfKey.set(key, h);
  }
  return Uint32Array.from(holders, (_, h) => {
    const key = keys[h];
    return key === undefined ? h : leadOfKey.get(key)!;
  });
}

/** "Cloudflare, Inc. (AS13335, AS202623 and 2 more)": an organisation by its name and its first `named` ASNs. */
export function organisationLabel(name: string, asns: readonly number[], named = 3): string {
  const listed = asns
    .slice(0, named)
    .map((asn) => `AS${asn}`)
    .join(', ');
  return `${name} (${listed}${asns.length > named ? ` and ${asns.length - named} more` : ''})`;
}
