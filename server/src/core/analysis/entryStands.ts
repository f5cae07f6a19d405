/**
 * What an entry stands for: the addresses written, or, where a format
 * writes an entry that is no address, every address that reaches it — an
 * iptables rule's target or chain's policy, an nftables verdict without an
 * address. Messages say so, and fixes only ever remove such an entry with
 * its rule: there is no list of addresses to rewrite.
 */
import type { BlocklistDocument } from '../document/document';
import { isVerdictEntry } from '../formats/nftables';
import { iptablesEntryOf } from './iptablesDecisions';

export type Stands = 'address' | 'target' | 'policy';

export function entryStands(document: BlocklistDocument, k: number): Stands {
  if (document.format.id === 'iptables') return iptablesEntryOf(document, k).kind;
  const t = document.entries;
  return document.format.id === 'nftables' && isVerdictEntry(document.text, t.start[k], t.end[k]) ? 'target' : 'address';
}
