/**
 * nftables rulesets (`nft list ruleset`, `nft -f` files): the elements of
 * named sets and maps, `set NAME { type ipv4_addr; flags interval; elements =
 * { 1.2.3.0/24, 5.6.7.8-5.6.7.20, … } }`, and of `add element FAMILY TABLE
 * NAME { … }` commands, over as many lines as they take; and the addresses
 * of rules such as `ip saddr { 1.2.3.0/24, 5.6.7.8 } drop`.
 *
 * A set's elements are entries when its `type` (or `typeof`) is an address
 * (`ipv4_addr`, `ipv6_addr`, `ip saddr`…, the first part of a concatenation);
 * sets of ports, interfaces or MAC addresses hold none. When the file does
 * not say (a fragment, or `add element` to a set declared elsewhere), the
 * elements that look like addresses are read. Set elements block. A rule's
 * addresses block when it drops or rejects (or jumps to a chain), are
 * exceptions when it accepts or returns, and yield nothing otherwise, or
 * when negated with `!=`. Element options (`timeout 1h`, `comment "…"`) and
 * map values (`: drop`) are not entries.
 */
import type { EntryRole, Format, TokenSink } from './format';
import { looksLikeAddress } from './lines';
import { Scanner } from './scanner';

export const nftables: Format = {
  id: 'nftables',
  label: 'nftables set',
  read: (text, sink) => new NftablesReader(text, sink).block(),
};

/** What happens to the addresses read: reported as blocked at once, kept for the rule's verdict, or dropped (negated). */
type Destination = 'set' | 'rule' | 'none';

class NftablesReader {
  private readonly scanner: Scanner;
  /** Whether each set declared so far holds addresses, by its name. */
  private readonly addressSets = new Map<string, boolean>();
  /** The entries of the rule being read, as start, end, line triples. */
  private readonly ruleEntries: number[] = [];

  constructor(
    private readonly text: string,
    private readonly sink: TokenSink,
  ) {
    this.scanner = new Scanner(text, '{};,=!');
  }

  /** Statements up to the `}` that closes the block, or the end of the text. */
  block(): void {
    const s = this.scanner;
    for (;;) {
      s.next();
      if (s.kind === 'end' || s.isPunctuation('}')) return;
      if (!s.endsStatement()) this.statement();
    }
  }

  /** A statement, from its first token. */
  private statement(): void {
    const s = this.scanner;
    if (s.is('table') || s.is('chain') || s.is('flowtable')) {
      this.header();
    } else if (s.is('set') || s.is('map')) {
      this.header((name) => this.setBlock(name));
    } else if (s.is('add') || s.is('create') || s.is('insert') || s.is('replace')) {
      s.next();
      if (s.is('element')) this.header((name) => this.elements(this.addressSets.get(name), 'set'));
      else if (s.is('set') || s.is('map')) this.header((name) => this.setBlock(name));
      else if (s.is('table') || s.is('chain') || s.is('flowtable')) this.header();
      else if (s.is('rule')) this.rule();
      else s.skipStatement();
    } else if (s.is('elements')) {
      // A bare element list, as in a fragment of a set.
      this.elementList(undefined);
    } else if (isOneOf(s, NO_ENTRY)) {
      s.skipStatement();
    } else {
      this.rule();
    }
  }

  /**
   * `KEYWORD [FAMILY] [TABLE] NAME {`: the words up to the brace, then the
   * block, read by `body` (given the last word before the brace) or as
   * statements. Without a brace, the statement ends there.
   */
  private header(body?: (name: string) => void): void {
    const s = this.scanner;
    let name = '';
    while (s.next() === 'word') name = this.text.slice(s.start, s.end);
    if (!s.isPunctuation('{')) {
      s.skipStatement();
      return;
    }
    if (body) body(name);
    else this.block();
    s.next();
    s.skipStatement();
  }

  /** After `set NAME {`: `type`, `typeof`, `elements = { … }` and other settings, up to the closing brace. */
  private setBlock(name: string): void {
    const s = this.scanner;
    for (;;) {
      s.next();
      if (s.kind === 'end' || s.isPunctuation('}')) return;
      if (s.endsStatement()) continue;
      if (s.is('type')) {
        s.next();
        this.addressSets.set(name, s.is('ipv4_addr') || s.is('ipv6_addr'));
      } else if (s.is('typeof')) {
        s.next();
        const family = s.is('ip') || s.is('ip6');
        s.next();
        this.addressSets.set(name, family && (s.is('saddr') || s.is('daddr')));
      } else if (s.is('elements')) {
        this.elementList(this.addressSets.get(name));
        continue;
      }
      s.skipStatement();
    }
  }

  /** `elements = { … }`, from the word `elements`. */
  private elementList(holdsAddresses: boolean | undefined): void {
    const s = this.scanner;
    s.next();
    if (s.isPunctuation('=')) s.next();
    if (s.isPunctuation('{')) this.elements(holdsAddresses, 'set');
    else s.skipStatement();
  }

  /**
   * After the `{` of an element list: each element's key, up to the closing
   * brace. `holdsAddresses` false skips them all; undefined reads only the
   * keys that look like addresses.
   */
  private elements(holdsAddresses: boolean | undefined, destination: Destination): void {
    const s = this.scanner;
    for (;;) {
      s.next();
      if (s.kind === 'end' || s.isPunctuation('}')) return;
      if (s.kind === 'newline' || s.isPunctuation(',')) continue;
      if (s.isPunctuation('{')) {
        s.skipGroup();
      } else if (s.kind === 'word' && holdsAddresses !== false) {
        this.element(holdsAddresses === true, destination);
      }
      this.skipElementRest();
    }
  }

  /** An element key at the current word: an address, a CIDR, or a range `a-b` (also spaced `a - b`). */
  private element(certain: boolean, destination: Destination): void {
    const s = this.scanner;
    const { start, line } = s;
    let end = s.end;
    const first = this.text.charCodeAt(start);
    if (first === 0x24 || first === 0x40) return; // $variable, @set
    s.next();
    if (s.is('-')) {
      if (s.next() === 'word') end = s.end;
      else s.pushBack();
    } else {
      s.pushBack();
    }
    if (!certain && !looksLikeAddress(this.text, start, end)) return;
    if (destination === 'set') this.sink.entry(start, end, line);
    else if (destination === 'rule') this.ruleEntries.push(start, end, line);
  }

  /** Past what follows an element's key (options, map value, concatenated parts), up to its `,` or the list's `}`. */
  private skipElementRest(): void {
    const s = this.scanner;
    for (;;) {
      s.next();
      if (s.kind === 'end' || s.kind === 'newline' || s.isPunctuation(',')) return;
      if (s.isPunctuation('}')) {
        s.pushBack();
        return;
      }
      if (s.isPunctuation('{')) s.skipGroup();
    }
  }

  /** A rule, from its first token: `ip saddr` and `ip6 daddr` matches, then the verdict. */
  private rule(): void {
    const s = this.scanner;
    this.ruleEntries.length = 0;
    let role: EntryRole | undefined;
    for (; !s.endsStatement(); s.next()) {
      if (s.isPunctuation('}')) {
        s.pushBack();
        break;
      }
      if (s.isPunctuation('{')) {
        s.skipGroup();
      } else if (s.is('ip') || s.is('ip6')) {
        s.next();
        if (s.is('saddr') || s.is('daddr')) this.addressMatch();
        else s.pushBack();
      } else if (s.is('drop') || s.is('reject')) {
        role = 'block';
      } else if (s.is('accept') || s.is('return')) {
        role = 'allow';
      } else if (s.is('jump') || s.is('goto')) {
        role = 'block';
        s.next();
      }
    }
    const entries = this.ruleEntries;
    if (role === undefined) return;
    for (let k = 0; k < entries.length; k += 3) this.sink.entry(entries[k], entries[k + 1], entries[k + 2], undefined, { role });
  }

  /** After `ip saddr`: `[!=|==] ADDRESS` or `[!=|==] { … }`; a set reference (`@name`) holds nothing here. */
  private addressMatch(): void {
    const s = this.scanner;
    let destination: Destination = 'rule';
    s.next();
    if (s.isPunctuation('!') || s.isPunctuation('=')) {
      if (s.isPunctuation('!')) destination = 'none';
      s.next();
      if (s.isPunctuation('=')) s.next();
    }
    if (s.isPunctuation('{')) this.elements(true, destination);
    else if (s.kind === 'word' && looksLikeAddress(this.text, s.start, s.end)) this.element(true, destination);
    else s.pushBack();
  }
}

/** Statements that hold no entry (or whose entries are not blocked: `delete element`). */
const NO_ENTRY = [
  'define',
  'redefine',
  'undefine',
  'include',
  'delete',
  'destroy',
  'flush',
  'reset',
  'list',
  'get',
  'rename',
  'type',
  'typeof',
  'flags',
  'policy',
  'hook',
  'devices',
  'priority',
];

function isOneOf(s: Scanner, words: readonly string[]): boolean {
  return words.some((word) => s.is(word));
}
