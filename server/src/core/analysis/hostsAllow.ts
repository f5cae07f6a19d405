/**
 * A hosts.allow beside a hosts.deny, as hosts_access(5) decides a (daemon,
 * client) pair: the first hosts.allow line that matches decides (it grants,
 * or denies when its options say `deny`); only a pair no hosts.allow line
 * matches is asked of hosts.deny. So hosts.deny blocks, for a daemon, what
 * its rules block less every address a hosts.allow line matches for that
 * daemon; what hosts.allow itself denies is counted in hosts.allow's audit.
 * A daemon hosts.allow does not name is decided by its `ALL` lines.
 */
import { AddressSet } from '../addresses/addressSet';
import { IPV4, IPV6 } from '../addresses/family';
import type { BlocklistDocument } from '../document/document';
import { columnOf } from '../formats/format';
import { lineExcept, rulesOf, type Rules, type RuledScope } from './lineExcept';
import { EntryFacts } from './entryFacts';
import type { AwayPlace } from './facts';
import type { Addresses } from './which';

/** The hosts.allow beside a hosts.deny: its file (a path or a URI) and its document, read as hosts.allow. */
export interface HostsAllowFile {
  readonly file: string;
  readonly document: BlocklistDocument;
}

/** The scope of the rules for every daemon a file does not name. */
const EVERY_DAEMON = 'ALL';

/** What a hosts.allow decides before hosts.deny is asked, per daemon. */
export class GrantedFirst {
  private constructor(
    private readonly allow: HostsAllowFile,
    /** The allow file's scopes by daemon name in lower case (tcpd compares names so). */
    private readonly byName: ReadonlyMap<string, number>,
    private readonly ruled: ReadonlyMap<number, RuledScope>,
    private readonly decisive: Uint32Array,
  ) {}

  /** The allow file's rules in order, read on the first place asked for. */
  private rules: Rules | undefined;

  static of(allow: HostsAllowFile): GrantedFirst {
    const { document } = allow;
    const decisive = document.entries.decisive();
    const ruled = lineExcept(document, decisive, new EntryFacts());
    const byName = new Map(document.scopes.map((scope, s) => [scope.name.toLowerCase(), s]));
    return new GrantedFirst(allow, byName, ruled, decisive);
  }

  /** The daemons hosts.allow names, `ALL` aside. */
  get daemons(): string[] {
    return [...this.byName.keys()].filter((name) => name !== '' && name !== EVERY_DAEMON.toLowerCase());
  }

  /** Every address some hosts.allow line matches for `daemon` (`ALL`: a daemon neither file names), granted or denied. */
  matched(daemon: string): Addresses {
    const ruled = this.scopeOf(daemon);
    return ruled ? { ipv4: ruled.matched4, ipv6: ruled.matched6 } : NOTHING;
  }

  /** The first hosts.allow line holding for `daemon` with an entry that holds address `lo` of family `version`. */
  placeOf(daemon: string, version: 4 | 6, lo: number | bigint): AwayPlace | undefined {
    const { file, document } = this.allow;
    const table = document.entries;
    const s = this.scopeIndex(daemon);
    if (s === undefined) return undefined;
    const holds = (k: number) => table.version[k] === version && (version === 4 ? table.lo4[k] <= lo && lo <= table.hi4[k] : table.lo6[k] <= lo && lo <= table.hi6[k]);
    const rules = (this.rules ??= rulesOf(document, this.decisive));
    for (let r = 0; r < rules.count; r++) {
      const k = rules.scopes[r].includes(s) ? rules.entriesOf(r).find(holds) : undefined;
      if (k === undefined) continue;
      const [start, end, line] = [table.start[k], table.end[k], table.line[k]];
      return { file, line, start, end, column: columnOf(document.text, start), text: document.text.slice(start, end) };
    }
    return undefined;
  }

  /** The allow file's scope that decides for `daemon`: its own, else `ALL`'s, if the file has either. */
  private scopeIndex(daemon: string): number | undefined {
    return this.byName.get(daemon.toLowerCase()) ?? this.byName.get(EVERY_DAEMON.toLowerCase());
  }

  private scopeOf(daemon: string): RuledScope | undefined {
    const s = this.scopeIndex(daemon);
    return s === undefined ? undefined : this.ruled.get(s);
  }
}

const NOTHING: Addresses = { ipv4: AddressSet.empty(IPV4), ipv6: AddressSet.empty(IPV6) };

/**
 * The `granted-first` facts of a hosts.deny: a blocking entry every address
 * of which hosts.allow matches first, for every daemon its rule holds for —
 * an `ALL` rule holds for the daemons only hosts.allow names too — never
 * denies anything. Entries already found idle (1 in `idle`) are left alone.
 */
export function grantedFirstFacts(document: BlocklistDocument, decisive: Uint32Array, granted: GrantedFirst, idle: Uint8Array, facts: EntryFacts): void {
  const table = document.entries;
  const named = new Set(document.scopes.map((scope) => scope.name.toLowerCase()));
  const onlyAllowed = granted.daemons.filter((daemon) => !named.has(daemon));
  const rules = rulesOf(document, decisive);
  for (let r = 0; r < rules.count; r++) {
    if (rules.grants[r]) continue;
    const scopes = rules.scopes[r].map((s) => rules.names[s]);
    const daemons = scopes.includes(EVERY_DAEMON) ? [...scopes, ...onlyAllowed] : scopes;
    const matched = daemons.map((daemon) => granted.matched(daemon));
    for (const k of rules.entriesOf(r)) {
      if (table.allow[k] || idle[k]) continue;
      const v4 = table.version[k] === 4;
      const covered = matched.every((set) => (v4 ? set.ipv4.covers(table.lo4[k], table.hi4[k]) : set.ipv6.covers(table.lo6[k], table.hi6[k])));
      if (!covered) continue;
      const away = granted.placeOf(daemons[0], v4 ? 4 : 6, v4 ? table.lo4[k] : table.lo6[k]);
      facts.push({ code: 'granted-first', entry: k, other: -1, ...(away ? { away } : {}) });
    }
  }
}

/**
 * What each daemon that hosts.allow alone names is denied, by name in lower
 * case: hosts.deny's `ALL` rules (`allBlocked`, its `ALL` scope read alone)
 * hold for it, less what hosts.allow matches for it. hosts.deny has no
 * scope of its own for such a daemon; these count towards what it blocks.
 */
export function onlyAllowedDenied(deny: BlocklistDocument, granted: GrantedFirst, allBlocked: Addresses): Map<string, Addresses> {
  const named = new Set(deny.scopes.map((scope) => scope.name.toLowerCase()));
  const denied = new Map<string, Addresses>();
  for (const daemon of granted.daemons) {
    if (named.has(daemon)) continue;
    const matched = granted.matched(daemon);
    denied.set(daemon, { ipv4: allBlocked.ipv4.difference(matched.ipv4), ipv6: allBlocked.ipv6.difference(matched.ipv6) });
  }
  return denied;
}
