/**
 * RouterOS's `find` in an address list, as scripts write it to pick the
 * entries a `remove`, `disable`, `enable` or `set` acts on: `[find]`,
 * `[find list=bl address=1.2.3.4]`, `[find where list="bl" and !disabled]`.
 * Only what can be told exactly from the script is evaluated: `list=`,
 * `address=`, `comment=`, `dynamic=` and `disabled=` (and, after `where`, a
 * bare or `!` boolean), joined by blanks or `and`. Any other filter (`~`
 * matches, `or`, `in`, other properties, variables) may pick any entry.
 */
import { ParsedEntry, parseEntry } from '../document/entry';

/** An entry of an address list as the script has left it so far. */
export interface ListEntry {
  readonly list: string | undefined;
  /** The address as written (no quotes), and what it holds; the list and comment as written (no quotes), escapes and all. */
  readonly address: string;
  readonly parsed: ParsedEntry;
  comment: string | undefined;
  dynamic: boolean;
  disabled: boolean;
}

/** Whether a `find` picks an entry: surely, surely not, or it cannot be told. */
export type Picks = 'yes' | 'no' | 'maybe';

type Term =
  | { readonly key: 'list' | 'comment'; readonly value: string }
  | { readonly key: 'address'; readonly value: string; readonly parsed: ParsedEntry | undefined }
  | { readonly key: 'dynamic' | 'disabled'; readonly value: boolean };

/** The terms a `find` requires all of; undefined where it cannot be evaluated (it may pick any entry). */
export type Filter = readonly Term[] | undefined;

/** The filter of the words `find …` (unquoted as RouterOS reads them), or undefined. */
export function findFilter(words: readonly string[]): Filter {
  if (words[0] !== 'find') return undefined;
  const where = words[1] === 'where';
  const terms: Term[] = [];
  for (const word of words.slice(where ? 2 : 1)) {
    if (where && word === 'and') continue;
    const term = termOf(word, where);
    if (term === undefined) return undefined;
    terms.push(term);
  }
  return terms;
}

function termOf(word: string, where: boolean): Term | undefined {
  const equals = word.indexOf('=');
  if (equals < 0) {
    // `where disabled`, `where !dynamic`.
    const negated = word.startsWith('!');
    const key = negated ? word.slice(1) : word;
    return where && (key === 'disabled' || key === 'dynamic') ? { key, value: !negated } : undefined;
  }
  const key = word.slice(0, equals);
  const value = unquoted(word.slice(equals + 1));
  if (value === undefined) return undefined;
  if (key === 'list' || key === 'comment') return { key, value };
  if (key === 'disabled' || key === 'dynamic') {
    const yes = YES_NO.get(value);
    return yes === undefined ? undefined : { key, value: yes };
  }
  if (key !== 'address' || value === '') return undefined;
  const parsed = new ParsedEntry();
  if (parseEntry(value, 0, value.length, [], parsed)) return { key, value, parsed };
  // A name picks the entries of that name, which hold no address read here; a value RouterOS refuses is not told.
  return DNS_NAME.test(value) ? { key, value, parsed: undefined } : undefined;
}

/** A DNS name, which RouterOS resolves to the entry's addresses. */
export const DNS_NAME = /^(?=.*[A-Za-z])[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.?$/;

export const YES_NO = new Map([
  ['yes', true],
  ['true', true],
  ['no', false],
  ['false', false],
]);

/** A value without its quotes; undefined where an escape (`\"`, `\41`) or a variable makes it more than its text. */
export function unquoted(value: string): string | undefined {
  const inner = value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
  return inner.includes('\\') || inner.includes('$') || inner.includes('"') ? undefined : inner;
}

/** Whether `filter` picks `entry`. */
export function picks(filter: Filter, entry: ListEntry): Picks {
  if (filter === undefined) return 'maybe';
  let picked: Picks = 'yes';
  for (const term of filter) {
    const one = termPicks(term, entry);
    if (one === 'no') return 'no';
    if (one === 'maybe') picked = 'maybe';
  }
  return picked;
}

function termPicks(term: Term, entry: ListEntry): Picks {
  switch (term.key) {
    case 'list':
      return entry.list === undefined ? 'maybe' : textPicks(entry.list, term.value);
    case 'comment':
      // An entry without a comment has an empty one, as far as can be told.
      if (entry.comment === undefined) return term.value === '' ? 'maybe' : 'no';
      return textPicks(entry.comment, term.value);
    case 'dynamic':
      return yesNo(entry.dynamic === term.value);
    case 'disabled':
      return yesNo(entry.disabled === term.value);
    case 'address':
      return addressPicks(term.value, term.parsed, entry);
  }
}

/**
 * RouterOS compares the address as it keeps it: two that hold other
 * addresses never match, and a name never matches an address; the same
 * addresses written otherwise (`1.2.3.4/32`, `1.2.3.4`) may, as RouterOS may
 * write them alike.
 */
function addressPicks(value: string, parsed: ParsedEntry | undefined, entry: ListEntry): Picks {
  if (parsed === undefined) return 'no';
  const e = entry.parsed;
  const same = parsed.version === e.version && (e.version === 4 ? parsed.lo4 === e.lo4 && parsed.hi4 === e.hi4 : parsed.lo6 === e.lo6 && parsed.hi6 === e.hi6);
  if (!same) return 'no';
  return value === entry.address ? 'yes' : 'maybe';
}

/** A value as the add wrote it against a filter's: an escape or a continued line (`\`) in it may make it the same. */
function textPicks(written: string, value: string): Picks {
  return written.includes('\\') ? 'maybe' : yesNo(written === value);
}

function yesNo(yes: boolean): Picks {
  return yes ? 'yes' : 'no';
}
