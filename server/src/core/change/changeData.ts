/** A change as plain data (big numbers as decimal strings), for the editor's change report and the status bar. */
import type { Finding } from '../analysis/audit';
import type { Networks } from '../ownership/networks';
import type { Change, EntryRef, ScopeChange } from './compare';
import { introduced } from './findingChanges';
import { ownersOf, type SetOwners } from './owners';

/** Entries listed per scope and kind: the report links each to its line, and a rewrite of a whole list needs no million links. */
const LISTED = 200;

export interface OwnersData {
  readonly addresses: string;
  readonly unannounced: string;
  readonly providers: readonly { readonly id: string; readonly name: string; readonly category: string; readonly addresses: string }[];
  readonly organisations: readonly { readonly name: string; readonly addresses: string; readonly asns: readonly number[] }[];
}

export interface FamilyDelta {
  readonly added: string;
  readonly removed: string;
}

export interface EntryData {
  /** Zero-based, in the version the entry is in. */
  readonly line: number;
  readonly text: string;
  readonly addresses: string;
}

export interface FindingData {
  /** Zero-based, in the version the finding is in. */
  readonly line: number;
  readonly severity: Finding['severity'];
  readonly code: Finding['code'];
  readonly message: string;
}

export interface ScopeChangeData {
  readonly label: string;
  readonly status: ScopeChange['status'];
  readonly ipv4: FamilyDelta;
  readonly ipv6: FamilyDelta;
  readonly added: readonly EntryData[];
  readonly removed: readonly EntryData[];
  readonly changed: readonly { readonly before: EntryData; readonly after: EntryData }[];
  /** How many entries of each kind there are in all (the lists hold the first LISTED). */
  readonly counts: { readonly added: number; readonly removed: number; readonly changed: number };
}

export interface ChangeData {
  /** What the document is compared with: `HEAD`, a branch, a commit. */
  readonly label: string;
  readonly ipv4: FamilyDelta;
  readonly ipv6: FamilyDelta;
  /** The scopes that changed. */
  readonly scopes: readonly ScopeChangeData[];
  /** Whose addresses the whole file blocks more and less (absent without ASN data). */
  readonly owners?: { readonly added: { readonly ipv4: OwnersData; readonly ipv6: OwnersData }; readonly removed: { readonly ipv4: OwnersData; readonly ipv6: OwnersData } };
  readonly introduced: readonly FindingData[];
  readonly resolved: readonly FindingData[];
}

export function changeData(label: string, change: Change, networks: Networks | undefined): ChangeData {
  const entry = (e: EntryRef): EntryData => ({ line: e.line, text: e.text, addresses: e.addresses.toString() });
  const finding = (f: Finding): FindingData => ({ line: f.line, severity: f.severity, code: f.code, message: f.message });
  return {
    label,
    ...familyDeltas(change),
    scopes: change.scopes
      .filter((scope) => scope.status !== 'unchanged')
      .map((scope) => ({
        label: scope.label,
        status: scope.status,
        ...familyDeltas(scope),
        added: scope.entriesAdded.slice(0, LISTED).map(entry),
        removed: scope.entriesRemoved.slice(0, LISTED).map(entry),
        changed: scope.entriesChanged.slice(0, LISTED).map((e) => ({ before: entry(e.before), after: entry(e.after) })),
        counts: { added: scope.entriesAdded.length, removed: scope.entriesRemoved.length, changed: scope.entriesChanged.length },
      })),
    ...(networks
      ? {
          owners: {
            added: familyOwners(ownersOf(networks, change.added4, change.added6)),
            removed: familyOwners(ownersOf(networks, change.removed4, change.removed6)),
          },
        }
      : {}),
    introduced: introduced(change.findings).map(finding),
    resolved: change.findings.resolved.map(finding),
  };
}

/** Who holds a set, per family, as data. */
export function familyOwners(owners: { readonly ipv4: SetOwners; readonly ipv6: SetOwners }): { readonly ipv4: OwnersData; readonly ipv6: OwnersData } {
  return { ipv4: ownersData(owners.ipv4), ipv6: ownersData(owners.ipv6) };
}

export function ownersData(held: SetOwners): OwnersData {
  return {
    addresses: held.total.toString(),
    unannounced: held.unannounced.toString(),
    providers: held.providers.map((share) => ({ id: share.provider.id, name: share.provider.name, category: share.provider.category, addresses: share.addresses.toString() })),
    organisations: held.organisations.map((o) => ({ name: o.name, addresses: o.addresses.toString(), asns: o.asns })),
  };
}

export function familyDeltas(delta: Pick<Change, 'added4' | 'removed4' | 'added6' | 'removed6'>): { readonly ipv4: FamilyDelta; readonly ipv6: FamilyDelta } {
  return {
    ipv4: { added: delta.added4.size().toString(), removed: delta.removed4.size().toString() },
    ipv6: { added: delta.added6.size().toString(), removed: delta.removed6.size().toString() },
  };
}
