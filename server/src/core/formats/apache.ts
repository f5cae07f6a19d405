/**
 * Apache httpd access rules, as Apache decides them: 2.4's `Require`
 * (mod_authz_core, mod_authz_host) and 2.2's `Order`/`Deny from`/`Allow from`
 * (mod_access_compat), on Apache's lines: a backslash at a line's end joins
 * the next to it (apacheLines.ts). Directive and section names are
 * case-insensitive. An address may be partial (`10.1` is 10.1.0.0/16), a
 * CIDR, or `10.1.0.0/255.255.0.0`; host names and `env=` tests hold no
 * address.
 *
 * Each `<Directory>`, `<Location>`, `<Files>` (and their `Match` forms,
 * `<Proxy>`, `<VirtualHost>`) section is a scope, named by its path of
 * sections; so is the file itself, as for .htaccess. Within a scope, rules
 * (Evaluation `line-except`) each block their list less their exceptions,
 * and the scope blocks their union (`Satisfy All`, the default: both
 * modules must grant):
 *
 * - 2.2 `Order Deny,Allow` (the default): one rule, the `Deny from`
 *   addresses less the `Allow from` ones, wherever they stand.
 *   `Order Allow,Deny` (and `Mutual-failure`) deny what no Allow matches:
 *   one rule blocks every address — an entry of both families on the
 *   `Order` directive, counted, so the overbroad finding says so — less the
 *   Allow addresses, another the Deny addresses. With `Allow from all` only
 *   the Deny addresses are blocked.
 * - 2.4: the scope's `Require` directives are a `<RequireAny>`. Its
 *   `<RequireAll>` holding `Require all granted` and `Require not ip X` is a
 *   rule blocking X, less the `Require ip Y` beside it (exceptions). With no
 *   `Require all granted` anywhere, what no `Require ip` grants is denied:
 *   an entry of both families on the first directive blocks every address,
 *   less Y; so does a `<RequireAll>` with one `Require ip Y` list (on its
 *   tag), its `Require not ip X` a rule of their own. `Require all granted`
 *   beside them grants everything (an entry excepting every address). A
 *   `Require not` directly in a `<RequireAny>`
 *   (or a scope) is an error Apache refuses to start with, as is a
 *   `<RequireAll>` of negative directives only: the refused directive's
 *   addresses are not read, and no other 2.4 address of the scope is
 *   counted.
 *
 * What Apache refuses to start with (`apache2 -t`, mod_authz_core's checks
 * of the Require tree, an `Order` of the wrong form, `Allow`/`Deny`/`Order`
 * inside a Require section, an argument it cannot read, a provider not in
 * lower case) is given to the loader checks in Apache's own words
 * (`apacheRefusals`), with what to do and the lines involved.
 *
 * Entries whose decision depends on more than the client's address are
 * conditional, read but never counted: inside `<Limit>`, `<LimitExcept>`
 * and `<If>`; in a scope with `Satisfy Any`; and the 2.4 entries of a scope
 * where another provider (`Require host`, `valid-user`, `env`…) may grant,
 * or whose `Require` tree is more than the forms above.
 */
import { ParsedEntry, parseEntry } from '../document/entry';
import type { Problem } from '../document/problem';
import { DASH, HASH } from '../primitives/charCodes';
import { configWordEnd, forEachConfigLine, jointsBefore, skipConfigBlanks, withoutJoints } from './apacheLines';
import { blockName } from './blockNames';
import { type EntryMeaning, type EntryRole, type Format, type TokenSink } from './format';
import { emitEverything, indexIn, isDigit, looksLikeAddress, parsePartialIPv4, skipBlanks, trimEnd, unquotedSpan, wordIs } from './lines';
import { excerpt, quote } from '../primitives/excerpt';

export const apache: Format = {
  id: 'apache',
  label: 'Apache access rules',
  // Which section and which rule a line belongs to depends on the lines around it.
  read: readApache,
  evaluation: 'line-except',
};

const LESS = 0x3c;
const SLASH = 0x2f;
const ORDERS = ['deny,allow', 'allow,deny', 'mutual-failure'];

/** The directives that hold a rule, by name (Apache ignores the case of a directive's name). */
const DIRECTIVES = ['require', 'deny', 'allow', 'order', 'satisfy'] as const;

/** The problems of the many directives that have none. */
const NO_PROBLEMS: readonly Problem[] = [];
const NO_JOINTS: readonly number[] = [];

/** What to do with a negative directive Apache finds in a section that grants when one of its directives does. */
const PUT_IN_REQUIRE_ALL = 'Put it in a <RequireAll> with "Require all granted" (or what it grants).';

const SCOPE_SECTIONS = ['directory', 'directorymatch', 'location', 'locationmatch', 'files', 'filesmatch', 'proxy', 'proxymatch', 'virtualhost'];
const CONDITIONAL_SECTIONS = ['limit', 'limitexcept', 'if', 'elseif', 'else'];
/** Sections Apache reads or skips whole by a condition of the server: its modules, version, defines. */
const CONDITION_SECTIONS = ['ifmodule', 'ifversion', 'ifdefine', 'ifdirective', 'iffile', 'ifsection'];
/** The modules of the Apache modelled (2.4, as Debian enables it): what makes Require, Allow and Deny work, and <IfVersion>. */
const LOADED_MODULES = [
  'mod_authz_core.c',
  'authz_core_module',
  'mod_authz_host.c',
  'authz_host_module',
  'mod_access_compat.c',
  'access_compat_module',
  'mod_version.c',
  'version_module',
];

/**
 * Whether a condition section's test holds on Apache 2.4 with the modules
 * it needs for access rules (`<IfModule mod_authz_core.c>`, `<IfVersion >=
 * 2.4>`): the usual .htaccess that works on 2.2 and 2.4 has both branches,
 * and only one is ever read. Unknown modules, defines, versions that name a
 * patch level and regular expressions may not hold: false.
 */
function holdsOn24(name: string, inner: string): boolean {
  const argument = inner.slice(name.length).trim();
  const negated = argument.startsWith('!');
  const test = (negated ? argument.slice(1) : argument).trim();
  if (name === 'ifmodule') return !negated && LOADED_MODULES.includes(test.toLowerCase());
  if (name !== 'ifversion') return false;
  const match = /^(=|==|>|>=|<|<=|!=)?\s*(\d+)\.(\d+)$/.exec(test);
  if (match === null) return false;
  const difference = Number(match[2]) * 1000 + Number(match[3]) - 2004;
  const holds = { '=': difference === 0, '==': difference === 0, '>': difference < 0, '>=': difference <= 0, '<': difference > 0, '<=': difference >= 0, '!=': difference !== 0 }[
    match[1] ?? '='
  ];
  return holds === true && !negated;
}
const AUTHZ_SECTIONS = { requireall: 'all', requireany: 'any', requirenone: 'none' } as const;

/** An argument of a directive that may hold addresses. */
interface Argument {
  readonly start: number;
  readonly end: number;
  /** `all` (every address, both families), or an address. */
  readonly all: boolean;
}

/** What the analysis makes of an argument or a directive: its role, the rule it belongs to (the rule's key: where the rule is named), or conditional. */
interface Reading {
  role: EntryRole;
  rule?: { start: number; end: number };
  conditional?: boolean;
}

/** A directive or section tag of the file, in order. */
interface Directive {
  readonly kind: 'require' | 'deny' | 'allow' | 'order' | 'satisfy' | 'section';
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly scope: Scope;
  /** Inside `<Limit>`, `<LimitExcept>` or `<If>`. */
  readonly conditional: boolean;
  readonly args: Argument[];
  /** The first word after the directive's name (`not`, the provider, `from`, the order), lower case. */
  readonly words: string[];
  readonly problems: readonly Problem[];
  /** Why Apache refuses the configuration here, if it does. */
  refusal?: Refusal;
  /** Where the lines it runs over are joined (forEachConfigLine): its arguments may stand on later lines. */
  readonly joints: readonly number[];
  /** Set by the analysis: each argument's reading (absent: not read), and entries of every address on the directive itself (of the families asked). */
  readings?: (Reading | undefined)[];
  everything?: Reading & { families?: readonly (4 | 6)[] };
}

/** What Apache says when it refuses a directive or tag, what to do, and the other lines its words are about. */
interface Refusal {
  readonly words: string;
  readonly fix: string;
  readonly related: readonly { readonly at: Directive; readonly message: string }[];
}

/** What `apache2 -t` refuses in a file: at a directive or section tag, in Apache's words, with the fix and the lines involved. */
export interface ApacheRefusal {
  readonly line: number;
  readonly start: number;
  readonly end: number;
  readonly words: string;
  readonly fix: string;
  readonly related: readonly { readonly line: number; readonly start: number; readonly end: number; readonly message: string }[];
}

/** A `<RequireAll>`, `<RequireAny>` or `<RequireNone>`, or a scope's own `Require` directives (an implicit `<RequireAny>`). */
interface AuthzNode {
  readonly kind: 'all' | 'any' | 'none';
  /** The section's tag, or undefined for a scope's own. */
  readonly tag?: Directive;
  readonly children: (AuthzNode | Directive)[];
}

interface Scope {
  readonly name: string;
  /** Its own Require directives and sections. */
  readonly root: AuthzNode;
  /** Those inside its `<Limit>`s and `<If>`s, each an implicit `<RequireAny>` too: checked, never counted. */
  readonly conditionalRoots: AuthzNode[];
  readonly directives: Directive[];
}

/** An open section: the scope and the Require container it is in, whether it is that container's own tag, and whether what it holds is conditional. */
interface Open {
  readonly scope: Scope;
  readonly node?: AuthzNode;
  readonly authz?: boolean;
  readonly conditional: boolean;
}

function readApache(text: string, sink: TokenSink): void {
  const { scopes, directives } = readConfig(text);
  for (const scope of scopes) analyse(text, scope);
  emit(text, directives, sink);
}

/** What `apache2 -t` refuses in `text`, in line order. */
export function apacheRefusals(text: string): ApacheRefusal[] {
  const refusals: ApacheRefusal[] = [];
  for (const { line, start, end, refusal } of readConfig(text).directives) {
    if (refusal === undefined) continue;
    const related = refusal.related.map(({ at, message }) => ({ line: at.line, start: at.start, end: at.end, message }));
    refusals.push({ line, start, end, words: refusal.words, fix: refusal.fix, related });
  }
  return refusals;
}

/** Where a directive, or an inner section's tag, stands. */
interface Span {
  readonly start: number;
  readonly end: number;
}

/**
 * What the fixes must leave in the Require sections of `text`, as Apache
 * refuses a section left with none and a `<RequireAll>` left with negative
 * directives only: what stands directly in each section (each directive,
 * and each inner section's tag, in order), and, of each `<RequireAll>`
 * (with the ones inside it, which Apache merges into it) whose only
 * children that grant are directives, those directives.
 */
export function requireSectionNeeds(text: string): { readonly contents: (Span & { readonly section: boolean })[][]; readonly granting: Span[][] } {
  const contents: (Span & { section: boolean })[][] = [];
  const granting: Span[][] = [];
  const visit = (node: AuthzNode, parent: AuthzNode | undefined) => {
    if (node.tag) {
      contents.push(
        node.children.map((child) => (isNode(child) ? { start: child.tag!.start, end: child.tag!.end, section: true } : { start: child.start, end: child.end, section: false })),
      );
    }
    if (node.tag && node.kind === 'all' && parent?.kind !== 'all') {
      const grants = flattened(node, 'all').filter((child) => !isNegative(child));
      if (grants.length > 0 && grants.every((child) => !isNode(child))) granting.push(grants.map((child) => ({ start: child.start, end: child.end })));
    }
    for (const child of node.children) if (isNode(child)) visit(child, node);
  };
  for (const scope of readConfig(text).scopes) for (const root of [scope.root, ...scope.conditionalRoots]) visit(root, undefined);
  return { contents, granting };
}

/** The file's scopes and its directives in order, with what Apache refuses marked on them. */
function readConfig(text: string): { scopes: Scope[]; directives: Directive[] } {
  const file: Scope = { name: '', root: { kind: 'any', children: [] }, conditionalRoots: [], directives: [] };
  const scopes = [file];
  const all: Directive[] = [];
  const open: Open[] = [];
  // The names of the scope sections open, outermost first.
  const path: string[] = [];
  forEachConfigLine(text, (lineStart, lineEnd, line, joints) => {
    const start = skipBlanks(text, lineStart, lineEnd);
    if (start === lineEnd || text.charCodeAt(start) === HASH) return;
    const end = trimEnd(text, start, lineEnd);
    const top = open.at(-1);
    const scope = top?.scope ?? file;
    const conditional = top?.conditional ?? false;
    if (text.charCodeAt(start) === LESS) {
      if (text.charCodeAt(start + 1) === SLASH) {
        const closed = open.pop();
        if (closed && closed.scope !== (open.at(-1)?.scope ?? file)) path.pop();
        return;
      }
      const close = text.lastIndexOf('>', end);
      const inner = text.slice(start + 1, close > start ? close : end).trim();
      const name = inner.split(/\s/, 1)[0].toLowerCase();
      const tag: Directive = { kind: 'section', start, end, line, scope, conditional, args: [], words: [name], problems: [], joints: NO_JOINTS };
      all.push(tag);
      scope.directives.push(tag);
      if (SCOPE_SECTIONS.includes(name)) {
        const inside: Scope = { name: blockName(path, inner, line), root: { kind: 'any', children: [] }, conditionalRoots: [], directives: [] };
        path.push(inside.name);
        scopes.push(inside);
        open.push({ scope: inside, conditional });
      } else if (name in AUTHZ_SECTIONS) {
        const node: AuthzNode = { kind: AUTHZ_SECTIONS[name as keyof typeof AUTHZ_SECTIONS], tag, children: [] };
        (top?.node ?? scope.root).children.push(node);
        open.push({ scope, node, authz: true, conditional });
      } else {
        // A condition that does not hold on the Apache modelled, or may not (an unknown module, <IfDefine>), makes what it holds conditional too.
        const conditionalSection = CONDITIONAL_SECTIONS.includes(name) || (CONDITION_SECTIONS.includes(name) && !holdsOn24(name, inner));
        // Requires inside <Limit> form an implicit <RequireAny> of their own.
        let node = top?.node;
        if (conditionalSection) scope.conditionalRoots.push((node = { kind: 'any', children: [] }));
        open.push({ scope, node, conditional: conditional || conditionalSection });
      }
      return;
    }
    const directive = readDirective(text, start, end, line, scope, conditional, joints.length > 0 ? [...joints] : NO_JOINTS);
    if (!directive) return;
    all.push(directive);
    scope.directives.push(directive);
    if (directive.kind === 'require') (top?.node ?? scope.root).children.push(directive);
    else if (top?.authz && directive.kind !== 'satisfy') {
      // Apache checks where a directive stands before what it says: this refusal comes before an Order's own.
      const section = sectionName(top.node!);
      directive.refusal = {
        words: `${directive.kind} not allowed in <${section}> context`,
        fix: `Move it out of the <${section}>: Order, Allow and Deny stand beside the Require sections.`,
        related: [{ at: top.node!.tag!, message: `The <${section}> it stands in.` }],
      };
    }
  });
  for (const scope of scopes) for (const root of [scope.root, ...scope.conditionalRoots]) checkRequires(root);
  return { scopes, directives: all };
}

/** One directive line: `Require`, `Deny from`, `Allow from`, `Order` or `Satisfy` (others hold no rule). */
function readDirective(text: string, start: number, end: number, line: number, scope: Scope, conditional: boolean, joints: readonly number[]): Directive | undefined {
  // The word read last is text[i, w); `next` moves on to the one after it. Every line of a long file is read here: no
  // array or string is made for what is only compared.
  let i = start;
  let w = configWordEnd(text, joints, start, end);
  const next = () => {
    i = skipConfigBlanks(text, joints, w, end);
    w = configWordEnd(text, joints, i, end);
  };
  const kind = DIRECTIVES.find((name) => wordIs(text, i, w, name, true));
  if (kind === undefined) return undefined;
  const words: string[] = [];
  let problems: Problem[] | undefined;
  let refusal: Refusal | undefined;
  let addresses = false;
  next();
  if (kind === 'require') {
    if (wordIs(text, i, w, 'not', true)) {
      words.push('not');
      next();
    }
    addresses = wordIs(text, i, w, 'ip', true);
    const provider = addresses ? 'ip' : text.slice(i, w).toLowerCase();
    words.push(provider);
    if ((addresses || provider === 'all') && !wordIs(text, i, w, provider)) {
      // Only the directive's name is read in any case: providers are named exactly.
      refusal = { words: `Unknown Authz provider: ${excerpt(text, i, w)}`, fix: `Write "${provider}" in lower case.`, related: [] };
    }
    if (provider === 'all') {
      next();
      words.push(text.slice(i, w).toLowerCase());
    }
  } else if (kind === 'deny' || kind === 'allow') {
    if (!wordIs(text, i, w, 'from', true)) return undefined;
    addresses = true;
  } else {
    words.push(text.slice(i, w).toLowerCase());
    if (kind === 'order' && (!ORDERS.includes(words[0]) || skipBlanks(text, w, end) < end)) {
      // The order is read as the default, Deny,Allow.
      refusal = {
        words: "order takes one argument, 'allow,deny', 'deny,allow', or 'mutual-failure'",
        fix: 'Write "Order Deny,Allow" or "Order Allow,Deny", with no blank after the comma.',
        related: [],
      };
    }
  }
  const args: Argument[] = [];
  if (addresses) {
    if (skipConfigBlanks(text, joints, w, end) === end)
      (problems ??= []).push({ code: 'invalid-entry', start, end, message: `Expected an address after ${quote(text, start, end)}.` });
    for (let at = skipConfigBlanks(text, joints, w, end); at < end; at = skipConfigBlanks(text, joints, w, end)) {
      w = configWordEnd(text, joints, at, end);
      // Apache takes a word's quotes off (ap_getword_conf): `"1.2.3.4"` is 1.2.3.4.
      const [from, to] = unquotedSpan(text, at, w);
      const refused = argumentRefusal(kind, text, at, from, to);
      if (refused) {
        // Apache stops at the first argument it refuses, and so does its loader check; what follows a `#` is the comment's.
        refusal ??= { ...refused, related: [] };
        if (text.charCodeAt(at) === HASH) break;
        continue;
      }
      const all = kind !== 'require' && wordIs(text, from, to, 'all', true);
      if (indexIn(text, DASH, from, to) >= 0 && looksLikeAddress(text, from, to)) {
        // Allow and Deny take a range for a host name, which matches nothing.
        (problems ??= []).push({
          code: 'invalid-entry',
          start: from,
          end: to,
          message: 'A range is no address to Apache: Apache takes it for a host name, which matches no client. Write the range as CIDR blocks.',
        });
      } else if (all || isPartialIPv4(text, from, to) || looksLikeAddress(text, from, to)) {
        args.push({ start: from, end: to, all });
      }
    }
  }
  return { kind, start, end, line, scope, conditional, args, words, problems: problems ?? NO_PROBLEMS, refusal, joints };
}

const COMMENT_FIX = 'Apache reads "#" after a directive as one more argument, not as a comment: put the comment on a line of its own.';

/**
 * What Apache says of the argument at text[at, to) (without its quotes from
 * `from`) of a Require ip, Allow or Deny directive when it refuses it, and
 * what to write: a comment; for Require, any word that is no address (a
 * range, a host name); for all three, an address apr_ipsubnet_create refuses
 * (a prefix of 0 bits or more than the family's, an IPv6 netmask, an
 * IPv4-mapped IPv6 address, a zone). Undefined when Apache takes it.
 */
function argumentRefusal(kind: Directive['kind'], text: string, at: number, from: number, to: number): Omit<Refusal, 'related'> | undefined {
  const require = kind === 'require';
  const word = withoutJoints(text, from, to);
  const asIp = (reason?: string) => `ip address '${excerpt(word, 0, word.length)}' appears to be invalid${reason ? `: ${reason}` : ''}`;
  if (text.charCodeAt(at) === HASH) return { words: require ? asIp() : 'No comments are allowed here', fix: COMMENT_FIX };
  const range = indexIn(text, DASH, from, to) >= 0;
  if (range || !(isPartialIPv4(text, from, to) || looksLikeAddress(text, from, to))) {
    if (!require) return undefined; // Allow and Deny take it for a host name, or `all`, or an `env=` test
    return { words: asIp(), fix: range ? 'Write the range as CIDR blocks.' : 'Require ip takes addresses and networks, separated by blanks.' };
  }
  const reason = subnetRefusal(text, from, to);
  if (reason === undefined) return undefined;
  return {
    words: require ? asIp(reason) : reason,
    fix: 'Write an address, or a network with a prefix of 1 to 32 bits (128 for IPv6) or an IPv4 netmask, as in 10.0.0.0/8; an IPv4 address as itself, not as ::ffff:….',
  };
}

const subnet = new ParsedEntry();
const MAPPED_IPV4 = { lo: 0xffffn << 32n, hi: (0xffffn << 32n) | 0xffffffffn };

/** Why apr_ipsubnet_create refuses the address text[from, to), in its words, or undefined. */
function subnetRefusal(text: string, from: number, to: number): string | undefined {
  const problems: Problem[] = [];
  const parsed = isPartialIPv4(text, from, to) ? parsePartialIPv4(text, from, to, problems) : parseEntry(text, from, to, problems, subnet) ? subnet : undefined;
  const masked = indexIn(text, SLASH, from, to) >= 0;
  if (parsed === undefined) return masked ? 'The specified network mask is invalid.' : 'The specified IP address is invalid.';
  if ((parsed.form === 'cidr' && masked && parsed.prefix === 0) || (parsed.version === 6 && parsed.form === 'netmask')) return 'The specified network mask is invalid.';
  if (parsed.version === 6 && parsed.lo6 >= MAPPED_IPV4.lo && parsed.hi6 <= MAPPED_IPV4.hi) return 'The specified IP address is invalid.';
  return undefined;
}

/** Decides, for each directive of `scope`, what its arguments are: the rules of the scope (see the file's comment). */
function analyse(text: string, scope: Scope): void {
  const satisfyAny = scope.directives.some((d) => d.kind === 'satisfy' && d.words[0] === 'any' && !d.conditional);
  for (const directive of scope.directives) {
    if (directive.conditional || satisfyAny) readAll(directive, { role: roleOf(directive), conditional: true });
  }
  analyseOrder(scope, satisfyAny);
  if (!satisfyAny) analyseRequire(text, scope);
}

/** The role a directive's addresses have on their own: `Deny from` and `Require not ip` block. */
function roleOf(directive: Directive): EntryRole {
  return directive.kind === 'deny' || (directive.kind === 'require' && directive.words[0] === 'not') ? 'block' : 'allow';
}

function readAll(directive: Directive, reading: Reading): void {
  directive.readings = directive.args.map(() => reading);
}

/** The rule named by `directive`: its key. */
function ruleAt(directive: Directive): { start: number; end: number } {
  return { start: directive.start, end: directive.end };
}

/** 2.2: `Order`, `Deny from`, `Allow from`. */
function analyseOrder(scope: Scope, satisfyAny: boolean): void {
  const directives = scope.directives.filter((d) => !d.conditional && !d.refusal && (d.kind === 'deny' || d.kind === 'allow' || d.kind === 'order'));
  if (satisfyAny || directives.length === 0) return;
  // The last Order counts; one Apache refuses is read as the default.
  const order = directives.filter((d) => d.kind === 'order' && ORDERS.includes(d.words[0])).at(-1);
  const denies = directives.filter((d) => d.kind === 'deny');
  const allows = directives.filter((d) => d.kind === 'allow');
  if (order === undefined || order.words[0] === 'deny,allow') {
    // Denied if a Deny matches, unless an Allow does too: one rule, wherever its lines stand.
    const rule = ruleAt(order ?? directives[0]);
    for (const d of denies) readAll(d, { role: 'block', rule });
    for (const d of allows) readAll(d, { role: 'allow', rule });
    return;
  }
  // Allow,Deny and Mutual-failure: allowed only if an Allow matches and no Deny does.
  const allowsAll = allows.some((d) => d.args.some((arg) => arg.all));
  const denyRule = denies.length > 0 ? ruleAt(denies[0]) : undefined;
  for (const d of denies) readAll(d, { role: 'block', rule: denyRule });
  const allowRule = ruleAt(order);
  for (const d of allows) d.readings = d.args.map((arg) => (arg.all && allowsAll ? undefined : { role: 'allow', rule: allowRule }));
  // Every address no Allow matches is denied: the Order directive blocks them, unless `Allow from all` leaves none.
  if (!allowsAll) order.everything = { role: 'block', rule: allowRule };
}

/** Marks what Apache refuses to start with (`apache2 -t`) on the directive or tag: the addresses of a refused directive are not read. */
function refuse(at: Directive, words: string, fix: string, related: Refusal['related']): void {
  at.refusal ??= { words, fix, related };
}

/**
 * mod_authz_core's checks of a Require tree: a negative directive only
 * inside <RequireAll> (in <RequireAny>, <RequireNone> and a scope's own
 * directives it has no effect), a <RequireNone> likewise, no empty section,
 * and a <RequireAll> needs a directive that is not negative. There a
 * <RequireNone>'s directives count as negative, and a <RequireAll> inside
 * it is merged into it (Apache is associative), so their directives count
 * together.
 */
function checkRequires(root: AuthzNode): void {
  for (const [node, parent] of childrenFirst(root)) {
    const enclosing = node.tag ? [{ at: node.tag, message: `The <${sectionName(node)}> it stands in.` }] : [];
    for (const child of node.children) {
      if (isNode(child)) {
        if (child.kind === 'none' && node.kind !== 'all' && child.children.length > 0) {
          refuse(child.tag!, `<RequireNone> directive has no effect in <${sectionName(node)}> directive`, PUT_IN_REQUIRE_ALL, enclosing);
        }
      } else if (child.words[0] === 'not' && node.kind !== 'all') {
        const fix = node.kind === 'none' ? 'Inside <RequireNone>, write it without "not"; or move it into a <RequireAll>.' : PUT_IN_REQUIRE_ALL;
        refuse(child, `negative Require directive has no effect in <${sectionName(node)}> directive`, fix, enclosing);
      }
    }
    if (node.tag && node.children.length === 0) {
      refuse(node.tag, `<${sectionName(node)}> directive contains no authorization directives`, 'Put a Require directive in it, or remove it.', []);
      continue;
    }
    if (!node.tag || node.kind !== 'all' || parent?.kind === 'all') continue;
    const merged = flattened(node, 'all');
    const negatives = merged.filter(isNegative);
    if (negatives.length === merged.length) {
      refuse(
        node.tag,
        '<RequireAll> directive contains only negative authorization directives',
        'Add "Require all granted" (or what it grants) to it.',
        negatives.map((at) => ({ at: isNode(at) ? at.tag! : at, message: 'A negative directive.' })),
      );
    }
  }
}

/**
 * The sections of a Require tree with their parents, each after every
 * section inside it (a section's own checks come before its parent's checks
 * of it: the first refusal of a tag is the one reported). Without recursion:
 * sections may nest thousands deep.
 */
function childrenFirst(root: AuthzNode): [AuthzNode, AuthzNode | undefined][] {
  const parentsFirst: [AuthzNode, AuthzNode | undefined][] = [];
  const pending: [AuthzNode, AuthzNode | undefined][] = [[root, undefined]];
  for (let item = pending.pop(); item; item = pending.pop()) {
    parentsFirst.push(item);
    for (const child of item[0].children) if (isNode(child)) pending.push([child, item[0]]);
  }
  return parentsFirst.reverse();
}

/** What a section holds once the sections of `kind` inside it are merged into it (Apache's sections are associative), in text order. */
function flattened(node: AuthzNode, kind: AuthzNode['kind']): (AuthzNode | Directive)[] {
  const merged: (AuthzNode | Directive)[] = [];
  const pending = [...node.children].reverse();
  for (let child = pending.pop(); child; child = pending.pop()) {
    if (isNode(child) && child.kind === kind) for (let i = child.children.length - 1; i >= 0; i--) pending.push(child.children[i]);
    else merged.push(child);
  }
  return merged;
}

/** In a <RequireAll>, a `Require not` directive or a <RequireNone>: it only ever denies. */
function isNegative(child: AuthzNode | Directive): boolean {
  return isNode(child) ? child.kind === 'none' : child.words[0] === 'not';
}

function sectionName(node: AuthzNode): string {
  return node.kind === 'all' ? 'RequireAll' : node.kind === 'none' ? 'RequireNone' : 'RequireAny';
}

function isNode(child: AuthzNode | Directive): child is AuthzNode {
  return !('words' in child);
}

function refused(directive: Directive): boolean {
  return directive.kind === 'require' && directive.refusal !== undefined;
}

/** A `<RequireAll>` as Apache grants it: every address (`all granted`, or a provider that is not about addresses) or those of one `Require ip` list, less the `Require not ip` addresses. */
interface AllShape {
  readonly node: AuthzNode;
  readonly grants: 'everything' | 'list' | 'nothing';
  readonly list?: Directive[];
  readonly blocks: Directive[];
}

/** 2.4: the scope's Require tree (see the file's comment). */
function analyseRequire(text: string, scope: Scope): void {
  const requires = scope.directives.filter((d) => d.kind === 'require' && !d.conditional && !refused(d));
  if (requires.length === 0) return;
  const conditional = () => {
    for (const d of requires) readAll(d, { role: roleOf(d), conditional: true });
  };
  // Apache refuses the configuration: it decides nothing.
  if (scope.directives.some((d) => !d.conditional && (d.kind === 'require' || d.kind === 'section') && d.refusal)) return conditional();
  // The scope's own directives and <RequireAny>s: what grants.
  const granting: Directive[] = [];
  const ands: AuthzNode[] = [];
  let grantsAll: Directive | undefined;
  let unknown = false;
  for (const child of flattened(scope.root, 'any')) {
    if (isNode(child)) {
      if (child.kind === 'all') ands.push(child);
      // A <RequireNone> here is refused (checkRequires).
    } else if (refused(child) || child.words[0] === 'not') {
      continue;
    } else if (child.words[0] === 'ip') {
      granting.push(child);
    } else if (child.words[0] === 'all') {
      if (child.words[1] === 'granted') grantsAll ??= child;
    } else {
      unknown = true;
    }
  }
  const shapes = ands.map(shapeOf);
  if (unknown || shapes.some((shape) => shape === undefined)) return conditional();
  const all = shapes as AllShape[];
  const blocks = all.flatMap((shape) => shape.blocks);
  if (grantsAll) {
    // Everything is granted: the Require not ip addresses never take effect (an exception of every address of their families).
    if (blocks.length === 0) return;
    const rule = ruleAt(grantsAll);
    for (const d of blocks) readAll(d, { role: 'block', rule });
    for (const d of [...granting, ...all.flatMap((shape) => shape.list ?? [])]) readAll(d, { role: 'allow', rule });
    const families = new Set(blocks.flatMap((d) => d.args.map((arg) => (text.slice(arg.start, arg.end).includes(':') ? 6 : 4))));
    grantsAll.everything = { role: 'allow', rule, families: ([4, 6] as const).filter((family) => families.has(family)) };
    return;
  }
  const everything = all.filter((shape) => shape.grants === 'everything');
  const lists = all.filter((shape) => shape.grants === 'list');
  const none = all.filter((shape) => shape.grants === 'nothing');
  for (const shape of none) for (const d of shape.blocks) readAll(d, { role: 'block', conditional: true });
  if (everything.length === 1 && lists.length === 0) {
    // The usual blocklist: <RequireAll> Require all granted, Require not ip X…; Require ip Y beside it excepts.
    const rule = ruleAt(everything[0].node.tag!);
    for (const d of everything[0].blocks) readAll(d, { role: 'block', rule });
    for (const d of granting) readAll(d, { role: 'allow', rule });
  } else if (everything.length === 0 && lists.length === 1 && granting.length === 0) {
    // <RequireAll> Require ip Y, Require not ip X: everything but Y is denied, and X too.
    const shape = lists[0];
    const rule = ruleAt(shape.node.tag!);
    for (const d of shape.list!) readAll(d, { role: 'allow', rule });
    shape.node.tag!.everything = { role: 'block', rule };
    for (const d of shape.blocks) readAll(d, { role: 'block', rule: ruleAt(d) });
  } else if (everything.length === 0 && lists.length === 0) {
    // Nothing grants every address: what no Require ip grants is denied, from the first directive on.
    const first = firstDirective(scope.root);
    if (!first) return;
    const rule = ruleAt(first);
    first.everything = { role: 'block', rule };
    for (const d of granting) readAll(d, { role: 'allow', rule });
  } else {
    conditional();
  }
}

/** The first directive or tag of a Require tree, in text order, that Apache does not refuse. */
function firstDirective(node: AuthzNode): Directive | undefined {
  let first: Directive | undefined;
  for (const child of node.children) {
    const candidate = isNode(child) ? child.tag : refused(child) ? undefined : child;
    if (candidate && (!first || candidate.start < first.start)) first = candidate;
  }
  return first;
}

/** What a <RequireAll> grants, or undefined when it is more than the forms read. */
function shapeOf(node: AuthzNode): AllShape | undefined {
  const blocks: Directive[] = [];
  const lists: Directive[][] = [];
  let grants: AllShape['grants'] = 'nothing';
  let deniesAll = false;
  let known = true;
  for (const child of flattened(node, 'all')) {
    if (isNode(child)) {
      if (child.kind === 'none') {
        // None of these may grant: its Require ip addresses are denied.
        for (const d of child.children) {
          if (!isNode(d) && d.words[0] === 'ip') blocks.push(d);
          else if (isNode(d) || d.words[0] === 'all') known = false;
        }
      } else {
        const leaves = child.children.filter((d): d is Directive => !isNode(d));
        if (leaves.length !== child.children.length || leaves.some((d) => d.words[0] === 'not')) known = false;
        else if (leaves.some((d) => d.words[0] === 'all' && d.words[1] === 'granted') || leaves.some((d) => d.words[0] !== 'ip' && d.words[0] !== 'all')) grants = 'everything';
        else lists.push(leaves.filter((d) => d.words[0] === 'ip'));
      }
    } else if (child.words[0] === 'not') {
      if (child.words[1] === 'ip') blocks.push(child);
    } else if (child.words[0] === 'ip') {
      lists.push([child]);
    } else if (child.words[0] === 'all') {
      if (child.words[1] === 'granted') grants = 'everything';
      else deniesAll = true;
    } else {
      // valid-user, host, env…: a condition on more than the address; the Require not ip addresses are denied all the same.
      grants = 'everything';
    }
  }
  if (!known || lists.length > 1) return undefined;
  if (deniesAll) return { node, grants: 'nothing', blocks };
  if (lists.length === 1) return { node, grants: 'list', list: lists[0], blocks };
  return { node, grants, blocks };
}

/** Writes the directives' entries, problems and rules in text order. */
function emit(text: string, directives: Directive[], sink: TokenSink): void {
  for (const directive of directives) {
    const scope = directive.scope.name || undefined;
    const readings = [directive.everything, ...(directive.readings ?? [])].filter((r): r is Reading => r !== undefined);
    const rule = readings.find((r) => r.rule !== undefined && !r.conditional)?.rule;
    if (rule) sink.scopeFact({ kind: 'use', scope: directive.scope.name, role: 'block', start: rule.start, end: rule.end }, directive.line);
    if (directive.everything) {
      // On `Require ip Y…`, the words before Y, so that Y's own entries can be pointed at.
      const end = directive.args.length > 0 ? trimEnd(text, directive.start, directive.args[0].start) : directive.end;
      const families = directive.everything.families ?? [4, 6];
      for (const family of families) sink.entry(directive.start, end, directive.line, family === 4 ? EVERY_IPV4 : EVERY_IPV6, meaning(directive.everything, scope));
    }
    // A directive over joined lines: each argument and problem on its own line.
    const { joints, problems, line } = directive;
    let problem = 0;
    directive.args.forEach((arg, n) => {
      for (; problem < problems.length && problems[problem].start < arg.start; problem++) sink.problem(problems[problem], line + jointsBefore(joints, problems[problem].start));
      const reading = directive.readings?.[n];
      if (reading) readAddress(text, arg, line + jointsBefore(joints, arg.start), sink, meaning(reading, scope));
    });
    for (; problem < problems.length; problem++) sink.problem(problems[problem], line + jointsBefore(joints, problems[problem].start));
  }
}

const EVERY_IPV4 = Object.assign(new ParsedEntry(), { version: 4, form: 'cidr', lo4: 0, hi4: 2 ** 32 - 1, prefix: 0 } as const);
const EVERY_IPV6 = Object.assign(new ParsedEntry(), { version: 6, form: 'cidr', lo6: 0n, hi6: (1n << 128n) - 1n, prefix: 0 } as const);

function meaning(reading: Reading, scope: string | undefined): EntryMeaning {
  return { role: reading.role, ...(scope === undefined ? {} : { scope }), ...(reading.conditional ? { conditional: true } : {}) };
}

function readAddress(text: string, arg: Argument, line: number, sink: TokenSink, meaning: EntryMeaning): void {
  if (arg.all) {
    emitEverything(sink, arg.start, arg.end, line, meaning);
  } else if (isPartialIPv4(text, arg.start, arg.end)) {
    const problems: Problem[] = [];
    const parsed: ParsedEntry | undefined = parsePartialIPv4(text, arg.start, arg.end, problems);
    if (parsed) sink.entry(arg.start, arg.end, line, parsed, meaning);
    for (const problem of problems) if (problem.code === 'invalid-entry') sink.problem(problem, line);
  } else {
    sink.entry(arg.start, arg.end, line, undefined, meaning);
  }
}

/** `10`, `10.1`, `10.1.2`, `10.1.2.` or a whole address: digits and dots only. */
function isPartialIPv4(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (!isDigit(c) && c !== 0x2e) return false;
  }
  return start < end;
}
