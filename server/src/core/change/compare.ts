/**
 * What a change to a list does, exactly: two versions of a file compared
 * scope by scope (sets, tables, chains and blocks matched by name), the
 * addresses each scope blocks more and less, the entries added, removed and
 * changed, and the findings the change introduces and resolves.
 */
import { AddressSet } from '../addresses/addressSet';
import { IPV4, IPV6 } from '../addresses/family';
import type { AuditResult } from '../analysis/audit';
import type { ScopeSet } from '../analysis/facts';
import type { BlocklistDocument } from '../document/document';
import type { Scope } from '../document/scopes';
import { compareFindings, type FindingChanges } from './findingChanges';

/** One version of a file: its document and its audit. */
export interface Version {
  readonly document: BlocklistDocument;
  readonly result: AuditResult;
}

/** An entry as a change names it: where it stands in its version, its text and how many addresses it names. */
export interface EntryRef {
  readonly line: number;
  readonly text: string;
  readonly version: 4 | 6;
  readonly addresses: bigint;
  /** An exception (`allow`, `nomatch`, `!`) rather than a blocking entry. */
  readonly allow: boolean;
}

/** Addresses more and less, per family. */
export interface AddressDelta {
  readonly added4: AddressSet<number>;
  readonly removed4: AddressSet<number>;
  readonly added6: AddressSet<bigint>;
  readonly removed6: AddressSet<bigint>;
}

export type ScopeStatus = 'added' | 'removed' | 'changed' | 'unchanged';

export interface ScopeChange extends AddressDelta {
  /** The scope's name in the file ('' for the file's own entries) and label, from NEW where it is there. */
  readonly name: string;
  readonly label: string;
  readonly role: Scope['role'];
  readonly status: ScopeStatus;
  /** Entries of NEW that OLD does not have (at NEW's lines), and entries of OLD that NEW does not have (at OLD's lines). */
  readonly entriesAdded: readonly EntryRef[];
  readonly entriesRemoved: readonly EntryRef[];
  /** A removed entry and an added one that overlap it: the same entry edited (narrowed, widened, moved). */
  readonly entriesChanged: readonly { readonly before: EntryRef; readonly after: EntryRef }[];
}

export interface Change extends AddressDelta {
  /** Every scope with entries in either version, NEW's order first, then the scopes only OLD has. */
  readonly scopes: readonly ScopeChange[];
  readonly findings: FindingChanges;
}

/**
 * Compares OLD with NEW. The file's totals (`added4`…) are what its blocking
 * scopes block, as the audit counts them; each scope's are its own, by its
 * own rule (an allowlist's are what it allows).
 */
export function compareVersions(before: Version, after: Version): Change {
  const [old, now] = [byScope(before), byScope(after)];
  const scopes = matchScopes(before, old, after, now).map(([b, a]) => scopeChange(before, old, b, after, now, a));
  return { ...delta(before.result, after.result), scopes, findings: compareFindings(before, after) };
}

type Blocked = Pick<ScopeSet, 'blocked4' | 'blocked6'>;

const NOTHING: Blocked = { blocked4: AddressSet.empty(IPV4), blocked6: AddressSet.empty(IPV6) };

/** A version's entries and effective sets by scope id, gathered in one pass (a file may have a scope per entry). */
interface ByScope {
  /** The scopes that hold entries, in the order of their first entry. */
  readonly entries: ReadonlyMap<number, readonly KeyedEntry[]>;
  /** What each scope decides by its own rule (none for a scope whose entries are all conditional). */
  readonly sets: ReadonlyMap<number, Blocked>;
}

function byScope({ document, result }: Version): ByScope {
  const table = document.entries;
  const entries = new Map<number, KeyedEntry[]>();
  for (let k = 0; k < table.count; k++) {
    const lo = table.lo(k);
    const hi = table.hi(k);
    const version = table.version[k] as 4 | 6;
    const allow = table.allow[k] === 1;
    let list = entries.get(table.scope[k]);
    if (!list) entries.set(table.scope[k], (list = []));
    list.push({
      key: `${version} ${lo} ${hi} ${allow ? 'allow' : 'block'}${table.conditional[k] ? ' conditional' : ''}`,
      lo,
      hi,
      line: table.line[k],
      text: document.text.slice(table.start[k], table.end[k]),
      version,
      addresses: hi - lo + 1n,
      allow,
    });
  }
  return { entries, sets: new Map(result.facts.scopeSets.map((set) => [set.scope, set])) };
}

/**
 * Pairs of scope ids (-1: not in that version) of the scopes with entries,
 * matched by name. A file with no named scope (a plain list) matches a file
 * with one scope of entries whatever its name, so a list moved into a set is
 * a change, not a removal; otherwise a renamed scope is one removed and one
 * added.
 */
function matchScopes(before: Version, old: ByScope, after: Version, now: ByScope): [number, number][] {
  const [was, is] = [[...old.entries.keys()], [...now.entries.keys()]];
  const nameOf = (version: Version, id: number) => version.document.scopes[id].name;
  if (was.length === 1 && is.length === 1 && (nameOf(before, was[0]) === '' || nameOf(after, is[0]) === '')) return [[was[0], is[0]]];
  const oldByName = new Map(was.map((id) => [nameOf(before, id), id]));
  const pairs: [number, number][] = is.map((id) => {
    const name = nameOf(after, id);
    const match = oldByName.get(name) ?? -1;
    oldByName.delete(name);
    return [match, id];
  });
  for (const id of oldByName.values()) pairs.push([id, -1]);
  return pairs;
}

function scopeChange(before: Version, old: ByScope, b: number, after: Version, now: ByScope, a: number): ScopeChange {
  const scope = a >= 0 ? after.document.scopes[a] : before.document.scopes[b];
  const addresses = delta(old.sets.get(b) ?? NOTHING, now.sets.get(a) ?? NOTHING);
  const entries = compareEntries(old.entries.get(b) ?? [], now.entries.get(a) ?? []);
  const same =
    entries.added.length === 0 && entries.removed.length === 0 && [addresses.added4, addresses.removed4, addresses.added6, addresses.removed6].every((set) => set.isEmpty);
  return {
    name: scope.name,
    label: scope.label,
    role: scope.role,
    status: b < 0 ? 'added' : a < 0 ? 'removed' : same ? 'unchanged' : 'changed',
    ...addresses,
    entriesAdded: entries.added,
    entriesRemoved: entries.removed,
    entriesChanged: entries.changed,
  };
}

function delta(before: Blocked, after: Blocked): AddressDelta {
  return {
    added4: after.blocked4.difference(before.blocked4),
    removed4: before.blocked4.difference(after.blocked4),
    added6: after.blocked6.difference(before.blocked6),
    removed6: before.blocked6.difference(after.blocked6),
  };
}

/** An entry with what identifies it across versions: its family, bounds, role and whether it is conditional. */
interface KeyedEntry extends EntryRef {
  readonly key: string;
  readonly lo: bigint;
  readonly hi: bigint;
}

/**
 * The entries only NEW has and only OLD has, as multisets (a second copy of
 * an entry is an entry added), then each removed entry paired with an added
 * one of the same family and role that overlaps it, in address order.
 */
function compareEntries(before: readonly KeyedEntry[], after: readonly KeyedEntry[]) {
  const unmatched = new Map<string, KeyedEntry[]>();
  for (const entry of before) {
    const same = unmatched.get(entry.key);
    if (same) same.push(entry);
    else unmatched.set(entry.key, [entry]);
  }
  const added: KeyedEntry[] = [];
  for (const entry of after) {
    const same = unmatched.get(entry.key);
    if (same && same.length > 0) same.shift();
    else added.push(entry);
  }
  const removed = [...unmatched.values()].flat().sort((x, y) => x.line - y.line);
  const changed: { before: EntryRef; after: EntryRef }[] = [];
  const paired = new Set<KeyedEntry>();
  const byStart = (x: KeyedEntry, y: KeyedEntry) => x.version - y.version || (x.lo < y.lo ? -1 : x.lo > y.lo ? 1 : 0);
  const gone = [...removed].sort(byStart);
  const come = [...added].sort(byStart);
  for (let i = 0, j = 0; i < gone.length && j < come.length;) {
    const [x, y] = [gone[i], come[j]];
    if (x.version === y.version && x.allow === y.allow && x.lo <= y.hi && y.lo <= x.hi) {
      changed.push({ before: refOf(x), after: refOf(y) });
      paired.add(x).add(y);
      i++;
      j++;
    } else if (x.version < y.version || (x.version === y.version && x.hi < y.hi)) {
      i++;
    } else {
      j++;
    }
  }
  changed.sort((x, y) => x.after.line - y.after.line);
  return { added: added.filter((e) => !paired.has(e)).map(refOf), removed: removed.filter((e) => !paired.has(e)).map(refOf), changed };
}

function refOf({ line, text, version, addresses, allow }: KeyedEntry): EntryRef {
  return { line, text, version, addresses, allow };
}
