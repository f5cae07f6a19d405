/**
 * nftables rulesets (`nft list ruleset`, `nft -f` files), read as nft
 * evaluates them (nft(8)). Scopes are named as nft names them:
 *
 * - Each named set or map is a scope, `set FAMILY TABLE NAME` (`set inet
 *   filter blocklist`, as in `nft list set inet filter blocklist`): a plain
 *   union, as nft sets have no exceptions. Its elements come from `set NAME
 *   { … elements = { … } }` and from `add element FAMILY TABLE NAME { … }`,
 *   over as many lines as they take. A set's elements are entries when its
 *   `type` (or `typeof`) is an address (`ipv4_addr`, `ip6 saddr`…, the first
 *   part of a concatenation); sets of ports, interfaces or MAC addresses hold
 *   none; when the file does not say (a fragment, or `add element` to a set
 *   declared elsewhere), the elements that look like addresses are read. In
 *   a verdict map, an element mapped to `accept` or `return` allows.
 * - Each chain is a scope, `chain FAMILY TABLE NAME`, where the first rule
 *   that matches decides: the addresses of `ip saddr 1.2.3.0/24 drop` and
 *   `ip saddr { … } accept`. Drop and reject block, accept allows; rules
 *   without a verdict decide nothing. Rules on destinations (`ip daddr`)
 *   make a scope of their own beside the chain's sources, `chain FAMILY
 *   TABLE NAME (daddr)`. A rule that matches on anything else too — a port,
 *   a protocol, an interface, a state, a source and a destination at once —
 *   decides only for that traffic: its addresses are conditional. Rules
 *   outside any chain (a fragment) belong to the file, evaluated in the
 *   same way.
 * - A verdict without an address (`counter drop`, `accept`) in a base
 *   chain of type filter decides every address of the table's families
 *   that reaches it: an entry of every address on its word, in the chain's
 *   order, which the rules after it never pass.
 * - The kernel evaluates a chain's rules in order, and some decide for
 *   every address of the chain's sources or destinations in a way that is
 *   not an entry here: a verdict map, `!=` (`!= @set` too), a jump, goto or
 *   return (the chain called, the caller or the policy decides), and a
 *   verdict without an address in a chain without a hook (entered only by
 *   jumps) or for destinations. Those are not followed (nor is the chain's
 *   policy): the addresses of such a rule and of every rule after it in the
 *   dimension and family it matches on (all of them, for a rule without an
 *   address) are conditional, so the rules before it keep their exact
 *   first-match order and what comes after is never counted nor the cause
 *   or subject of a removal. A rule on a port or an interface decides only
 *   for that traffic, so it ends nothing.
 * - `ip saddr @S drop` uses set S to block, `… accept` to allow (the other
 *   way round after `!=`), so a set used only to accept is an allowlist;
 *   a jump for S makes it a blocklist, a return an allowlist (what they
 *   decide is the chain's they go to or back to: not counted). Such a rule
 *   decides S's addresses where it stands: once the ruleset is read
 *   (nftTraffic.ts), S's elements count where a rule that drops them
 *   decides them, and a rule after it holding any of S's addresses is
 *   conditional; the others keep their first-match order.
 * - A chain without a hook sees only the traffic jumps send it: its
 *   entries count in its own scope where every rule naming it sends it all
 *   its caller's traffic, and are conditional elsewhere (nftTraffic.ts).
 *
 * What nft's loader checks of a set's elements — `flags interval`,
 * `auto-merge`, the family of its type — is kept per set for the analysis
 * (`nftSetRules`). Element options (`timeout 1h`, `comment "…"`) and map
 * values are not entries; `#` comments are skipped everywhere. An element
 * that expires — its own `timeout` or `expires` (as `nft list ruleset`
 * writes fail2ban's and CrowdSec's bans), or any element of a set with a
 * `timeout` of its own — blocks for a while: it is conditional.
 */
import type { EntryRole, Format, TokenSink } from './format';
import { everyAddress, indexIn, looksLikeAddress } from './lines';
import { COLON } from '../primitives/charCodes';
import { excerpt } from '../primitives/excerpt';
import { Scanner } from './scanner';
import type { OctalLoader } from '../document/entry';
import { NftTraffic, namesChainsOrSets } from './nftTraffic';

/** nft reads an octet or a prefix length with a leading zero as octal. */
const NFT: OctalLoader = { name: 'nft', lengths: true };

export const nftables: Format = {
  id: 'nftables',
  label: 'nftables set',
  read: readRuleset,
  octalOctets: NFT,
  // Sets, and elements outside any set, are unions; chains declare their own first-match rule.
  evaluation: 'union',
  // No `scopeKind`: a ruleset's scopes are sets, maps and chains, and each name says which it is.
};

/** Reads `text`; when it names chains or sets, its entries are held until the whole ruleset tells what traffic those see (nftTraffic.ts). */
function readRuleset(text: string, sink: TokenSink): void {
  const traffic = namesChainsOrSets(text) ? new NftTraffic(text, sink, NFT) : undefined;
  new NftablesReader(text, traffic?.sink ?? sink, clearingsOf(text), traffic).read();
  traffic?.finish();
}

/** What nft's loader checks of a set, from its declaration (`set NAME { type …; flags …; auto-merge; }`). */
export interface NftSetRules {
  /** The family its type takes, or undefined when it holds no addresses (ports, marks…). */
  readonly family: 4 | 6 | undefined;
  /** The type as written, `type ipv4_addr` or `typeof ip saddr`, for messages. */
  readonly type: string;
  /** `flags interval`: elements may be prefixes and ranges. */
  readonly interval: boolean;
  /** `auto-merge`: overlapping intervals are merged rather than rejected. */
  readonly autoMerge: boolean;
  /** A concatenation (`ipv4_addr . inet_service`), whose elements nft checks as tuples. */
  readonly concatenated: boolean;
}

/** An `add element` (or `create element`) statement: the set it adds to and where it stands. */
export interface NftElementCommand {
  readonly scope: string;
  readonly start: number;
  readonly end: number;
}

/** What nft's loader checks of a ruleset: the rules of every set and map it declares, by scope name (`set inet filter blocklist`), and its element statements in order. */
export interface NftRuleset {
  readonly sets: ReadonlyMap<string, NftSetRules>;
  readonly elementCommands: readonly NftElementCommand[];
}

export function nftRuleset(text: string): NftRuleset {
  const reader = new NftablesReader(text, IGNORE, NO_CLEARINGS);
  reader.read();
  return { sets: reader.sets, elementCommands: reader.elementCommands };
}

const ignore = () => undefined;
const IGNORE: TokenSink = { entry: ignore, problem: ignore, scopeFact: ignore };
const NO_CLEARINGS: ReadonlyMap<string, number> = new Map();
/** The key of `flush ruleset` among the clearings. */
const RULESET = '';

/**
 * A command, at a line's start, that takes away what it names or some of it
 * (`flush set inet f bl`, `delete table ip t`, `flush ruleset`, `delete
 * element inet f bl { … }`, `delete rule inet f input handle 4`), or puts a
 * rule where the file's order does not say (`insert rule …`, `replace rule
 * …`, `add rule … position 4`).
 */
const CLEARING = /^[ \t]*(flush|delete|destroy|insert|replace|add)[ \t]+(ruleset|table|set|map|chain|element|rule)\b([^\r\n;{#]*)/gm;
/** Where a rule of `add rule` goes when it is not the chain's end. */
const PLACED = /[ \t](?:position|index|handle)[ \t]+\d/;

/**
 * Where the ruleset is emptied, last, by what it empties (a scope's name,
 * `table FAMILY NAME`, or RULESET): `flush set`, `delete set`, `flush
 * chain`, `flush table`, `delete table`, `flush ruleset` and their
 * `destroy` twins. `delete element` and `delete rule` take some of a set's
 * elements or a chain's rules away (which, is not followed): the set's or
 * chain's entries before them count as taken away. A rule inserted or put
 * at a position (by a handle the file does not know) may stand anywhere in
 * its chain: every entry of the chain counts as taken away, wherever it
 * stands. Found first, as they follow the entries they take away.
 */
function clearingsOf(text: string): ReadonlyMap<string, number> {
  const clearings = new Map<string, number>();
  const clear = (key: string, at: number) => clearings.set(key, Math.max(at, clearings.get(key) ?? -1));
  for (const match of text.matchAll(CLEARING)) {
    const [command, noun, tail] = [match[1], match[2], match[3]];
    const placed = command === 'insert' || command === 'replace' || (command === 'add' && PLACED.test(tail));
    if (command === 'add' ? !placed || noun !== 'rule' : placed && noun !== 'rule') continue;
    const at = placed ? Infinity : match.index;
    const words = tail.trim() === '' ? [] : tail.trim().split(/[ \t]+/);
    // nft's default family is ip: `flush set f bl` is `set ip f bl`.
    const named = (count: number) => (words.length === count - 1 || !FAMILIES.includes(words[0]) ? ['ip', ...words] : words).slice(0, count).join(' ');
    if (noun === 'ruleset') clear(RULESET, at);
    else if (noun === 'table' && words.length <= 2) clear(`table ${named(2)}`, at);
    else if (noun === 'element') for (const kind of ['set', 'map']) clear(`${kind} ${named(3)}`, at);
    else if (noun === 'chain' || noun === 'rule') for (const scope of [`chain ${named(3)}`, `chain ${named(3)} (daddr)`]) clear(scope, at);
    else if (words.length <= 3) clear(`${noun} ${named(3)}`, at);
  }
  return clearings;
}

/** The table a statement stands in: `table inet filter { … }`, or the words of `add rule inet filter …`. */
interface Table {
  readonly family: string;
  readonly name: string;
}

/** A word of a statement's header (a family, a table's, set's or chain's name) and where it stands. */
interface Word {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  readonly line: number;
}

/** The chain whose rules are being read: its scope names, for sources and for destinations. */
interface Chain {
  readonly sources: string;
  readonly destinations: string;
}

/** What an element does with its key's addresses, by what follows the key: nothing more, a verdict map's `drop` or `accept`, or a decision that needs more than the address. */
type ElementRest = 'plain' | 'drop' | 'accept' | 'conditional';

/** Where the addresses read go: elements of a set (or of the file), or addresses of a rule. */
type Target = { readonly kind: 'set'; readonly scope: string | undefined } | { readonly kind: 'rule'; readonly daddr: boolean; readonly negated: boolean; readonly family: 4 | 6 };

interface SetSettings {
  /** A map's elements map their key to a value; only a verdict map's `drop` and `accept` decide about the key's addresses. */
  map: boolean;
  /** The map's values are verdicts (`type ipv4_addr : verdict`). */
  verdict: boolean;
  family: 4 | 6 | undefined;
  /** Whether the elements are addresses: undefined while the type is not known. */
  addresses: boolean | undefined;
  type: string;
  interval: boolean;
  autoMerge: boolean;
  concatenated: boolean;
  /** `timeout 1h` in the set's block: every element expires (`timeout 0s` too, which takes the default). */
  timeout: boolean;
}

const FAMILIES = ['ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev'];
/** The scopes of rules that have no chain around them (a fragment): the file's own, and one for their destinations. */
const FILE_RULES: Chain = { sources: '', destinations: 'daddr rules' };

class NftablesReader {
  private readonly scanner: Scanner;
  /** Every set and map declared so far, by scope name. */
  readonly sets = new Map<string, SetSettings>();
  readonly elementCommands: NftElementCommand[] = [];
  private table: Table | undefined;
  private chain: Chain | undefined;
  /** The table and chain around each open block of a table or chain, innermost last. */
  private readonly open: { readonly table: Table | undefined; readonly chain: Chain | undefined }[] = [];
  /** The chains declared so far, by scope name. */
  private readonly declared = new Set<string>();
  private fileRulesDeclared = false;
  /** The addresses of the rule being read: start, end, line, daddr (0/1), negated (0/1). */
  private readonly ruleEntries: number[] = [];
  /** The sets the rule being read names (`@name`): scope, start, end, line, negated. */
  private readonly ruleSets: { scope: string; start: number; end: number; line: number; negated: boolean }[] = [];
  /** What the rule being read matches on (for a rule of one address match: where it decides): destinations or sources, and the family. */
  private ruleDaddr = false;
  private ruleFamily: 4 | 6 = 4;
  /**
   * The chains' scopes (sources or destinations) past a rule that decides for
   * every address of it in a way their entries do not hold — by a set, a
   * verdict map, a jump, goto or return, a negation, or without an address —
   * by family (`4 chain inet f input`): what the rules after it decide there
   * turns on what that rule lets through, so their entries are conditional.
   */
  private readonly unfollowed = new Set<string>();
  /** The base chains of type filter (`type filter hook input …`), by their sources' scope name: all the traffic of their hook enters them. */
  private readonly filterHooks = new Set<string>();
  /** Whether the element skipElementRest went past expires (`timeout 1h`, `expires 59m`). */
  private elementExpires = false;

  constructor(
    private readonly text: string,
    private readonly sink: TokenSink,
    /** The clearings of the whole text, read beforehand: an entry a later one takes away decides nothing. */
    private readonly clearedLater: ReadonlyMap<string, number>,
    /** Told the hooks, whole jumps and the rules naming sets, when the text names chains or sets. */
    private readonly traffic?: NftTraffic,
  ) {
    this.scanner = new Scanner(text, '{};,=!');
  }

  /**
   * The whole text, statement by statement. The blocks of tables and chains
   * are read here without recursion (they may nest thousands deep): at each
   * one's `}`, the table and chain around it are in force again. A `}` that
   * closes nothing is stepped over.
   */
  read(): void {
    const s = this.scanner;
    for (;;) {
      s.next();
      if (s.kind === 'end') return;
      if (s.isPunctuation('}')) {
        const outer = this.open.pop();
        if (outer === undefined) continue;
        this.table = outer.table;
        this.chain = outer.chain;
        // The rest of the statement the block belongs to.
        s.next();
        s.skipStatement();
      } else if (!s.endsStatement()) {
        this.statement();
      }
    }
  }

  /** A statement, from its first token. */
  private statement(): void {
    const s = this.scanner;
    if (s.is('table')) {
      this.tableStatement(this.headerWords());
    } else if (s.is('chain')) {
      this.chainStatement(this.headerWords());
    } else if (s.is('set') || s.is('map')) {
      const kind = s.is('set') ? 'set' : 'map';
      this.setStatement(kind, this.headerWords());
    } else if (s.is('flowtable')) {
      this.headerWords();
      this.blockOrEnd(() => s.skipGroup());
    } else if (s.is('add') || s.is('create') || s.is('insert') || s.is('replace')) {
      const start = s.start;
      s.next();
      if (s.is('element')) {
        const scope = this.elementScope(this.headerWords());
        this.blockOrEnd(() => this.elements(scope === undefined ? undefined : this.sets.get(scope), { kind: 'set', scope }));
        if (scope !== undefined) this.elementCommands.push({ scope, start, end: s.end });
      } else if (s.is('set') || s.is('map')) {
        const kind = s.is('set') ? 'set' : 'map';
        this.setStatement(kind, this.headerWords());
      } else if (s.is('table')) {
        this.tableStatement(this.headerWords());
      } else if (s.is('chain')) {
        this.chainStatement(this.headerWords());
      } else if (s.is('rule')) {
        this.addRule();
      } else {
        s.skipStatement();
      }
    } else if (s.is('elements')) {
      // A bare element list, as in a fragment of a set.
      this.elementList(undefined, undefined);
    } else if (s.is('type') && this.chain !== undefined) {
      this.chainType(this.chain);
    } else if (isOneOf(s, NO_ENTRY)) {
      s.skipStatement();
    } else {
      this.rule(this.chain);
    }
  }

  /** `type filter hook input priority 0` in a chain's block, up to the end of the statement. */
  private chainType(chain: Chain): void {
    const s = this.scanner;
    s.next();
    const filter = s.is('filter');
    let hook = false;
    for (; !s.endsStatement() && !s.isPunctuation('}'); s.next()) hook ||= s.is('hook');
    if (s.isPunctuation('}')) s.pushBack();
    if (filter && hook) this.filterHooks.add(chain.sources);
    if (hook) this.traffic?.hook(chain);
  }

  /** Whether a statement after `at` empties `scope` (a set, map or chain named as `scopeOf` names it). */
  private clearedAfter(scope: string | undefined, at: number): boolean {
    const later = this.clearedLater;
    if (later.size === 0) return false;
    if ((later.get(RULESET) ?? -1) > at || (scope !== undefined && (later.get(scope) ?? -1) > at)) return true;
    const words = scope?.split(' ');
    return words !== undefined && words.length >= 4 && (later.get(`table ${words[1]} ${words[2]}`) ?? -1) > at;
  }

  /** The words after a keyword, up to a `{` or the end of the statement; the scanner stays on that token. */
  private headerWords(): Word[] {
    const s = this.scanner;
    const words: Word[] = [];
    while (s.next() === 'word') words.push({ text: this.text.slice(s.start, s.end), start: s.start, end: s.end, line: s.line });
    return words;
  }

  /** `table [FAMILY] NAME [{ … }]`. */
  private tableStatement(words: readonly { text: string }[]): void {
    const table = words.length === 0 ? this.table : words.length > 1 ? { family: words[0].text, name: words[1].text } : { family: 'ip', name: words[0].text };
    this.enter(table, this.chain);
  }

  /** `chain NAME { … }` in a table, `add chain [FAMILY] TABLE NAME [{ … }]`: declares the chain's scopes, then reads its rules. */
  private chainStatement(words: readonly Word[]): void {
    this.enter(this.table, this.declareChain(words));
  }

  /**
   * After the header of a table or chain: at `{`, opens its block, where
   * `table` and `chain` are in force until `read` meets the closing brace;
   * without a brace, the statement ends there.
   */
  private enter(table: Table | undefined, chain: Chain | undefined): void {
    const s = this.scanner;
    if (!s.isPunctuation('{')) {
      s.skipStatement();
      return;
    }
    this.open.push({ table: this.table, chain: this.chain });
    this.table = table;
    this.chain = chain;
  }

  /** `set NAME { … }` in a table, `add set [FAMILY] TABLE NAME { … }`: declares the set, then reads its settings and elements. */
  private setStatement(kind: 'set' | 'map', words: readonly Word[]): void {
    const scope = this.scopeOf(kind, words);
    const name = words.at(-1);
    if (scope !== undefined && name !== undefined) {
      this.sink.scopeFact({ kind: 'declare', scope, evaluation: 'union', start: name.start, end: name.end }, name.line);
    }
    this.blockOrEnd(() => this.setBlock(scope, kind === 'map'));
  }

  /**
   * After a header: the block at `{`, read by `body` (which stops at its
   * closing brace), then the rest of the statement; without a brace, the
   * statement ends there.
   */
  private blockOrEnd(body: () => void): void {
    const s = this.scanner;
    if (s.isPunctuation('{')) {
      body();
      s.next();
    }
    s.skipStatement();
  }

  /**
   * The scope of a set, map or chain named by `words`: `NAME` in the table
   * around it, or `[FAMILY] TABLE NAME` (nft's default family is ip); a name
   * with no table (a fragment) stands alone.
   */
  private scopeOf(kind: string, words: readonly { text: string }[]): string | undefined {
    if (words.length === 0) return undefined;
    const name = words[words.length - 1].text;
    if (words.length >= 3) return `${kind} ${words[words.length - 3].text} ${words[words.length - 2].text} ${name}`;
    if (words.length === 2) return `${kind} ip ${words[0].text} ${name}`;
    return this.table ? `${kind} ${this.table.family} ${this.table.name} ${name}` : `${kind} ${name}`;
  }

  /** The scope of `add element … NAME`: the set NAME, or the map NAME when the file declares a map of that name. */
  private elementScope(words: readonly { text: string }[]): string | undefined {
    const set = this.scopeOf('set', words);
    const map = this.scopeOf('map', words);
    return set !== undefined && !this.sets.has(set) && map !== undefined && this.sets.has(map) ? map : set;
  }

  /** Declares the scopes of the chain named by `words` (first match), and returns them. */
  private declareChain(words: readonly Word[]): Chain | undefined {
    const sources = this.scopeOf('chain', words);
    const name = words.at(-1);
    if (sources === undefined || name === undefined) return undefined;
    const chain = { sources, destinations: `${sources} (daddr)` };
    // Once, where the chain is first named: `add rule` names it again on every line.
    if (!this.declared.has(sources)) {
      this.declared.add(sources);
      for (const scope of [chain.sources, chain.destinations]) {
        this.sink.scopeFact({ kind: 'declare', scope, evaluation: 'first-match', start: name.start, end: name.end }, name.line);
      }
    }
    return chain;
  }

  /** After `set NAME {`: `type`, `typeof`, `flags`, `auto-merge`, `elements = { … }` and other settings, up to the closing brace. */
  private setBlock(scope: string | undefined, map: boolean): void {
    const s = this.scanner;
    let settings = scope === undefined ? undefined : this.sets.get(scope);
    if (scope !== undefined && settings === undefined) {
      settings = { map, verdict: false, family: undefined, addresses: undefined, type: '', interval: false, autoMerge: false, concatenated: false, timeout: false };
      this.sets.set(scope, settings);
    }
    for (;;) {
      s.next();
      if (s.kind === 'end' || s.isPunctuation('}')) return;
      if (s.endsStatement()) continue;
      if (settings && (s.is('type') || s.is('typeof'))) {
        this.typeOf(settings);
        continue;
      } else if (settings && s.is('flags')) {
        for (s.next(); !s.endsStatement() && !s.isPunctuation('}'); s.next()) if (s.is('interval')) settings.interval = true;
        if (s.isPunctuation('}')) return;
        continue;
      } else if (settings && s.is('auto-merge')) {
        settings.autoMerge = true;
      } else if (settings && s.is('timeout')) {
        settings.timeout = true;
      } else if (s.is('elements')) {
        this.elementList(settings, scope);
        continue;
      }
      s.skipStatement();
    }
  }

  /** `type ipv4_addr [. inet_service]`, `typeof ip saddr`, `type ipv4_addr : verdict`: the key's family, up to the end of the statement. */
  private typeOf(settings: SetSettings): void {
    const s = this.scanner;
    const start = s.start;
    const typeOf = s.is('typeof');
    let end = s.end;
    const key: string[] = [];
    let inKey = true;
    for (s.next(); !s.endsStatement() && !s.isPunctuation('}'); s.next()) {
      if (s.is(':')) inKey = false;
      else if (!inKey && s.is('verdict')) settings.verdict = true;
      else if (s.is('.') && inKey) settings.concatenated = true;
      else if (inKey && !settings.concatenated) {
        key.push(this.text.slice(s.start, s.end));
        end = s.end;
      }
    }
    if (s.isPunctuation('}')) s.pushBack();
    const family = keyFamily(typeOf, key);
    settings.family = family;
    settings.addresses = family !== undefined;
    settings.type = this.text.slice(start, end);
  }

  /** `elements = { … }`, from the word `elements`. */
  private elementList(settings: SetSettings | undefined, scope: string | undefined): void {
    const s = this.scanner;
    s.next();
    if (s.isPunctuation('=')) s.next();
    if (s.isPunctuation('{')) this.elements(settings, { kind: 'set', scope });
    else s.skipStatement();
  }

  /**
   * After the `{` of an element list: each element's key, up to the closing
   * brace. A set known to hold no addresses yields nothing; one whose type is
   * not known yields only the keys that look like addresses.
   */
  private elements(settings: SetSettings | undefined, target: Target): void {
    const s = this.scanner;
    const holdsAddresses = target.kind === 'rule' ? true : settings?.addresses;
    for (;;) {
      s.next();
      if (s.kind === 'end' || s.isPunctuation('}')) return;
      if (s.kind === 'newline' || s.isPunctuation(',')) continue;
      let key: [number, number, number] | undefined;
      if (s.isPunctuation('{')) {
        s.skipGroup();
      } else if (s.kind === 'word' && holdsAddresses !== false) {
        key = this.element(holdsAddresses === true);
      }
      const rest = this.skipElementRest();
      if (key === undefined) continue;
      const [start, end, line] = key;
      if (target.kind === 'rule') {
        this.ruleAddress(key, target);
        continue;
      }
      // A map whose values are not verdicts (marks, addresses) maps its keys; it blocks none of them.
      const conditional =
        rest === 'conditional' ||
        this.elementExpires ||
        settings?.timeout === true ||
        settings?.concatenated === true ||
        (settings?.map === true && !settings.verdict && settings.type !== '') ||
        this.clearedAfter(target.scope, start);
      const meaning = { role: rest === 'accept' ? ('allow' as const) : ('block' as const), scope: target.scope, ...(conditional ? { conditional } : {}) };
      this.sink.entry(start, end, line, undefined, meaning);
    }
  }

  /** An address of a rule's `ip saddr` (or `ip6 daddr`…): read, or when of the other family, refused as nft refuses the whole file. */
  private ruleAddress([start, end, line]: [number, number, number], target: Extract<Target, { kind: 'rule' }>): void {
    const six = indexIn(this.text, COLON, start, end) >= 0;
    if (six === (target.family === 6)) {
      this.ruleEntries.push(start, end, line, target.daddr ? 1 : 0, target.negated ? 1 : 0);
      return;
    }
    const match = target.family === 4 ? 'ip' : 'ip6';
    const message = `nft refuses the file: ${excerpt(this.text, start, end)} is an IPv${six ? 6 : 4} address, and "${match} ${target.daddr ? 'daddr' : 'saddr'}" matches IPv${target.family} ("Address family for hostname not supported"). Write it after "${six ? 'ip6' : 'ip'} ${target.daddr ? 'daddr' : 'saddr'}" in a rule of its own.`;
    this.sink.problem({ code: 'invalid-entry', start, end, message }, line);
  }

  /** An element key at the current word, an address, a CIDR or a range `a-b` (also spaced `a - b`): its start, end and line. */
  private element(certain: boolean): [number, number, number] | undefined {
    const s = this.scanner;
    const { start, line } = s;
    let end = s.end;
    const first = this.text.charCodeAt(start);
    if (first === 0x24 || first === 0x40) return undefined; // $variable, @set
    s.next();
    if (s.is('-')) {
      if (s.next() === 'word') end = s.end;
      else s.pushBack();
    } else {
      s.pushBack();
    }
    if (!certain && !looksLikeAddress(this.text, start, end)) return undefined;
    return [start, end, line];
  }

  /**
   * Past what follows an element's key (options, a map's value, the other
   * parts of a concatenation), up to its `,` or the list's `}`: what the
   * element does with its key's addresses. A verdict map's `: drop` blocks
   * and `: accept` allows; any other value (`jump`, `goto`, `return`,
   * `continue`, or a map's mark or address) and the other parts of a tuple
   * (`1.2.3.4 . 22`) leave the decision to more than the address; an
   * element that expires (`timeout 1h`, `expires 59m`) decides for a while.
   */
  private skipElementRest(): ElementRest {
    const s = this.scanner;
    let rest: ElementRest = 'plain';
    this.elementExpires = false;
    for (;;) {
      s.next();
      if (s.kind === 'end' || s.kind === 'newline' || s.isPunctuation(',')) return rest;
      if (s.isPunctuation('}')) {
        s.pushBack();
        return rest;
      }
      if (s.isPunctuation('{')) s.skipGroup();
      else if (s.is('.')) rest = 'conditional';
      else if (s.is('timeout') || s.is('expires')) this.elementExpires = true;
      else if (s.is(':') && rest === 'plain') {
        s.next();
        rest = s.is('drop') ? 'drop' : s.is('accept') ? 'accept' : 'conditional';
        if (s.kind !== 'word') s.pushBack();
      }
    }
  }

  /** `add rule [FAMILY] TABLE CHAIN [handle|position|index N] …`, from the word `rule`. */
  private addRule(): void {
    const s = this.scanner;
    const words: Word[] = [];
    for (let n = 0; n < 3 && s.next() === 'word'; n++) words.push({ text: this.text.slice(s.start, s.end), start: s.start, end: s.end, line: s.line });
    if (words.length === 3 && !FAMILIES.includes(words[0].text)) {
      // No family: the third word already belongs to the rule.
      words.pop();
      s.pushBack();
    }
    if (words.length < 2) {
      s.skipStatement();
      return;
    }
    const chain = this.declareChain(words);
    s.next();
    if (s.is('handle') || s.is('position') || s.is('index')) s.next();
    else s.pushBack();
    s.next();
    // The rule's `@set`s are the sets of its table.
    const outer = this.table;
    this.table = words.length === 3 ? { family: words[0].text, name: words[1].text } : { family: 'ip', name: words[0].text };
    this.rule(chain);
    this.table = outer;
  }

  /**
   * A rule, from its first token: its address matches (`ip saddr`, `ip6
   * daddr`, literal or `@set`), its verdict, and whether it matches on
   * anything else too.
   */
  private rule(chain: Chain | undefined): void {
    const s = this.scanner;
    this.ruleEntries.length = 0;
    this.ruleSets.length = 0;
    let role: EntryRole | undefined;
    /** A match on more than addresses. */
    let conditional = false;
    /** A verdict decided elsewhere: by the chain jumped to, by the caller or the policy after a return, or by a verdict map's value. */
    let elsewhere = false;
    let matches = 0;
    /** Where the verdict stands: start, end, line. */
    let verdict: [number, number, number] | undefined;
    /** The chain a jump or goto names. */
    let jumpsTo: string | undefined;
    for (; !s.endsStatement(); s.next()) {
      if (s.isPunctuation('}')) {
        s.pushBack();
        break;
      }
      if (s.isPunctuation('{')) {
        s.skipGroup(); // a list of something else: ports, states…
      } else if (s.kind !== 'word') {
        continue; // a string (an interface's name…) or an operator of another match, which its own word made conditional
      } else if (s.is('ip') || s.is('ip6')) {
        const family = s.is('ip') ? 4 : 6;
        s.next();
        if (s.is('saddr') || s.is('daddr')) {
          matches++;
          this.addressMatch(s.is('daddr'), family);
        } else {
          conditional = true; // ip protocol, ip6 nexthdr…
          s.pushBack();
        }
      } else if (s.is('drop') || s.is('reject')) {
        role = 'block';
        verdict = [s.start, s.end, s.line];
        if (s.is('reject')) this.skipRejectOptions();
      } else if (s.is('accept')) {
        role = 'allow';
        verdict = [s.start, s.end, s.line];
      } else if (s.is('return') || s.is('jump') || s.is('goto')) {
        // Decided elsewhere: by the chain jumped to (and the rules after, when it returns), or after a return by the caller or the policy.
        // A set a rule returns for is still taken as an allowlist (`ip saddr @ok return` skips a blocklist chain's rules), one it jumps for as a blocklist.
        role = s.is('return') ? 'allow' : 'block';
        elsewhere = true;
        if (!s.is('return') && s.next() === 'word') jumpsTo = this.text.slice(s.start, s.end);
      } else if (s.is('vmap')) {
        elsewhere = true; // `ip saddr vmap { … }`, `vmap @v`: the map's values decide
        s.next();
        if (s.isPunctuation('{')) s.skipGroup();
      } else if (s.is('counter')) {
        this.skipOptions(['packets', 'bytes', 'name']);
      } else if (s.is('log')) {
        this.skipOptions(['prefix', 'level', 'flags', 'group', 'snaplen', 'queue-threshold']);
      } else if (s.is('comment')) {
        s.next();
      } else {
        conditional = true; // tcp dport, iifname, ct state, meta, limit…
      }
    }
    if (role === undefined && !elsewhere) return;
    if (matches > 1) conditional = true; // both a source and a destination, or two of either
    const scopes = chain ?? FILE_RULES;
    // Its own entries are read in the order as it stood before this rule.
    const unfollowed = matches === 1 && this.unfollowed.has(`${this.ruleFamily} ${this.ruleDaddr ? scopes.destinations : scopes.sources}`);
    const decided =
      role !== undefined && verdict !== undefined && matches === 0 && !conditional && !elsewhere && this.filterHooks.has(scopes.sources)
        ? this.decideEvery(scopes.sources, role, verdict)
        : [];
    if (jumpsTo !== undefined && matches === 0 && !conditional && chain !== undefined && this.filterHooks.has(chain.sources) && !this.clearedAfter(chain.sources, s.start)) {
      this.wholeJump(jumpsTo, chain);
    }
    if (!conditional) this.follow(scopes, matches === 1, elsewhere, decided);
    if (role === undefined) return;
    for (const used of this.ruleSets) {
      const usedRole: EntryRole = used.negated ? (role === 'block' ? 'allow' : 'block') : role;
      this.sink.scopeFact({ kind: 'use', scope: used.scope, role: usedRole, start: used.start, end: used.end }, used.line);
      const plain = matches === 1 && !conditional && !elsewhere && !used.negated && verdict !== undefined;
      const scope = this.ruleDaddr ? scopes.destinations : scopes.sources;
      // A rule after one not followed, or in a chain whose rules a later statement reorders or takes away, decides nothing known.
      const settled = plain && !unfollowed && !this.clearedAfter(scope, used.start);
      this.traffic?.setRule({ set: used.scope, scope, family: this.ruleFamily, role: usedRole, plain, settled, conditional, chain: chain?.sources });
    }
    const entries = this.ruleEntries;
    if (entries.length === 0) return;
    if (chain === undefined && !this.fileRulesDeclared) {
      // Rules outside any chain (a fragment): the file's own scope decides by the first match too.
      this.fileRulesDeclared = true;
      for (const scope of [scopes.sources, scopes.destinations]) {
        this.sink.scopeFact({ kind: 'declare', scope, evaluation: 'first-match', start: entries[0], end: entries[1] }, entries[2]);
      }
    }
    for (let k = 0; k < entries.length; k += 5) {
      const scope = entries[k + 3] === 1 ? scopes.destinations : scopes.sources;
      const gone = this.clearedAfter(scope === '' ? undefined : scope, entries[k]);
      this.sink.entry(entries[k], entries[k + 1], entries[k + 2], undefined, { role, scope, conditional: conditional || elsewhere || gone || unfollowed || entries[k + 4] === 1 });
    }
  }

  /**
   * A verdict without an address in a base chain of type filter (`counter
   * drop`, `accept`): it decides every address of the table's families that
   * reaches it, an entry of every address on its word (conditional past a
   * rule not followed). Returns the families it decides in the chain's
   * order, where the rules after it are found never to take effect.
   */
  private decideEvery(scope: string, role: EntryRole, [start, end, line]: [number, number, number]): (4 | 6)[] {
    const family = this.table?.family;
    const families: (4 | 6)[] = family === 'ip' ? [4] : family === 'ip6' ? [6] : family === 'inet' ? [4, 6] : [];
    const gone = this.clearedAfter(scope, start);
    return families.filter((f) => {
      const conditional = gone || this.unfollowed.has(`${f} ${scope}`);
      this.sink.entry(start, end, line, everyAddress(f), { role, scope, conditional });
      return !conditional;
    });
  }

  /**
   * After a rule that matches on nothing but, at most, one address match
   * (`addressed`): whether it decides in a way the chain's entries do not
   * hold, and if so marks its match's scope and family unfollowed (every
   * scope and family, for a rule without an address, but the sources of
   * the families its entries of every address `decided`).
   */
  private follow(scopes: Chain, addressed: boolean, elsewhere: boolean, decided: readonly (4 | 6)[]): void {
    if (!addressed) {
      for (const family of [4, 6] as const) {
        this.unfollowed.add(`${family} ${scopes.destinations}`);
        if (!decided.includes(family)) this.unfollowed.add(`${family} ${scopes.sources}`);
      }
      return;
    }
    const negated = this.ruleEntries.some((_, n) => n % 5 === 4 && this.ruleEntries[n] === 1);
    // A rule naming a set is followed once the ruleset is read (nftTraffic.ts), unless negated: it decides for every address outside the set.
    const setUnfollowed = this.ruleSets.length > 0 && (this.traffic === undefined || this.ruleSets.some((used) => used.negated));
    if (elsewhere || negated || setUnfollowed) this.unfollowed.add(`${this.ruleFamily} ${this.ruleDaddr ? scopes.destinations : scopes.sources}`);
  }

  /** A jump or goto to the chain `name` that sends it all its chain's traffic (nftTraffic.ts), and where that traffic is whole so far. */
  private wholeJump(name: string, caller: Chain): void {
    const target = this.scopeOf('chain', [{ text: name }]);
    if (this.traffic === undefined || target === undefined) return;
    const entered = new Set<string>();
    for (const family of [4, 6] as const) {
      if (!this.unfollowed.has(`${family} ${caller.sources}`)) entered.add(`${family} sources`);
      if (!this.unfollowed.has(`${family} ${caller.destinations}`)) entered.add(`${family} destinations`);
    }
    this.traffic.wholeJump(name, target, caller, entered);
  }

  /** Past `with icmp type host-unreachable` and the like after `reject`. */
  private skipRejectOptions(): void {
    const s = this.scanner;
    if (s.next() === 'word' && s.is('with')) while (s.next() === 'word');
    s.pushBack();
  }

  /** Past the options of a statement (`counter packets 0 bytes 0`): each word of `options` with the value after it. */
  private skipOptions(options: readonly string[]): void {
    const s = this.scanner;
    for (;;) {
      s.next();
      if (!isOneOf(s, options)) {
        s.pushBack();
        return;
      }
      s.next();
    }
  }

  /** After `ip saddr`: `[!=|==] ADDRESS`, `[!=|==] { … }` or `[!=|==] @set`. */
  private addressMatch(daddr: boolean, family: 4 | 6): void {
    const s = this.scanner;
    let negated = false;
    this.ruleDaddr = daddr;
    this.ruleFamily = family;
    s.next();
    if (s.isPunctuation('!') || s.isPunctuation('=')) {
      negated = s.isPunctuation('!');
      s.next();
      if (s.isPunctuation('=')) s.next();
    }
    if (s.isPunctuation('{')) {
      this.elements(undefined, { kind: 'rule', daddr, negated, family });
    } else if (s.kind === 'word' && this.text.charCodeAt(s.start) === 0x40 && s.end > s.start + 1) {
      const scope = this.scopeOf('set', [{ text: this.text.slice(s.start + 1, s.end) }]);
      if (scope !== undefined) this.ruleSets.push({ scope, start: s.start + 1, end: s.end, line: s.line, negated });
    } else if (s.kind === 'word' && looksLikeAddress(this.text, s.start, s.end)) {
      const key = this.element(true);
      if (key) this.ruleAddress(key, { kind: 'rule', daddr, negated, family });
    } else {
      s.pushBack();
    }
  }
}

/** Statements that hold no entry. */
const NO_ENTRY = ['define', 'redefine', 'undefine', 'include', 'reset', 'list', 'get', 'rename', 'type', 'typeof', 'flags', 'policy', 'hook', 'devices', 'priority'];

/** The family of a set's key: `ipv4_addr`, `ipv6_addr`, or `ip`/`ip6` `saddr`/`daddr` after `typeof`. */
function keyFamily(typeOf: boolean, [first, second]: readonly string[]): 4 | 6 | undefined {
  if (!typeOf) return first === 'ipv4_addr' ? 4 : first === 'ipv6_addr' ? 6 : undefined;
  if (second !== 'saddr' && second !== 'daddr') return undefined;
  return first === 'ip' ? 4 : first === 'ip6' ? 6 : undefined;
}

/** Whether an entry is a verdict without an address (`drop` of `counter drop`), standing for every address that reaches it. */
export function isVerdictEntry(text: string, start: number, end: number): boolean {
  return VERDICT_WORDS.includes(text.slice(start, end));
}

const VERDICT_WORDS = ['drop', 'reject', 'accept'];

function isOneOf(s: Scanner, words: readonly string[]): boolean {
  return words.some((word) => s.is(word));
}
