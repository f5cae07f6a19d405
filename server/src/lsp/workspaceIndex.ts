/**
 * The workspace index: every blocklist in the open folders, read in the
 * background (with progress) and kept current from file-change
 * notifications and open documents. It holds per file only what tells
 * whether a query concerns it — the union of its entries' addresses — so
 * its memory is a few sets per file; a query re-reads just the files that
 * concern it and answers from their documents (core/analysis/which.ts).
 * It also says what a list is read with: the hosts.allow beside a
 * hosts.deny, the lists before it in its groups (`blocklist.groups`).
 */
import type { Connection, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { AddressSet } from '../core/addresses/addressSet';
import { IPV4, IPV6 } from '../core/addresses/family';
import { IntervalBuilder } from '../core/addresses/intervalBuilder';
import { listedNetworks, saysAllowlist } from '../core/analysis/allowlist';
import { audit, type AuditResult } from '../core/analysis/audit';
import type { EarlierList } from '../core/analysis/groups';
import type { HostsAllowFile } from '../core/analysis/hostsAllow';
import { DEFAULT_AUDIT_OPTIONS, type ReadWith } from '../core/analysis/options';
import { which, type Addresses, type WhichAnswer } from '../core/analysis/which';
import { parseDocument, type BlocklistDocument } from '../core/document/document';
import { decodeText, notTextAt } from '../core/document/encoding';
import { parseRoleDirective } from '../core/document/directives';
import { looksLikeBlocklist } from '../core/document/sniff';
import { hostsAllow } from '../core/formats/hostsDeny';
import { detectFormat } from '../core/formats/registry';
import type { NamedNetworks } from '../core/ownership/addressSpec';
import { globToRegExp } from '../core/primitives/glob';
import type { WorkspaceFiles } from './runtime';

/** The index's settings (`blocklist.workspace.include` and `.exclude`, `blocklist.allowlists`), globs relative to each folder. */
export interface IndexSettings {
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  /** Files that are allowlists, whatever they say of themselves (those whose head says `# blocklist-role: allow` are too). */
  readonly allowlists: readonly string[];
  /** Groups of lists loaded into one set, each its files' globs in load order (a glob's files by path). */
  readonly groups: readonly (readonly string[])[];
}

export const DEFAULT_INDEX_SETTINGS: IndexSettings = {
  include: ['**/*.{netset,ipset,blocklist,cidr,p2p,nft,rsc,txt}', '**/ipfilter.dat', '**/hosts.deny', '**/hosts.allow'],
  exclude: [],
  allowlists: [],
  groups: [],
};

/** Files larger than this are left out: a list is rarely over 64 MB, and a database dump that happens to match is not read. */
const MAX_BYTES = 64 * 1024 * 1024;

/** What the index keeps of a file. */
interface Indexed {
  /** Every address any entry names, whatever it does with it. */
  readonly named: Addresses;
  /** An allowlist's entries. */
  readonly allowlist?: { readonly listed: readonly NamedNetworks[] };
}

/** A list read and audited: its document and effective sets. */
interface Audited {
  readonly document: BlocklistDocument;
  readonly result: AuditResult;
}

/** One file's answer to a query. */
export interface FileAnswer {
  readonly uri: string;
  readonly document: BlocklistDocument;
  readonly answer: WhichAnswer;
}

export class WorkspaceIndex {
  private readonly files = new Map<string, Indexed>();
  private folders: readonly string[] = [];
  private matchers = compile(DEFAULT_INDEX_SETTINGS);
  /** Settles when the last build, and every file read since, is done; queries wait for it. */
  private settled: Promise<void> = Promise.resolve();

  /**
   * `opened` gives the analysis of a blocklist open in the editor (read as edited, in the format its settings say), else
   * undefined; `allowlistsChanged` is told the entries of every allowlist whenever they may have changed, and
   * `readWithChanged` the files whose readWith may have changed when a file changed on disk.
   */
  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly disk: WorkspaceFiles,
    private readonly opened: (uri: string) => Promise<Audited | undefined>,
    private readonly allowlistsChanged: (listed: readonly NamedNetworks[]) => void,
    private readonly readWithChanged: (uris: readonly string[]) => void,
  ) {}

  get size(): number {
    return this.files.size;
  }

  /** Indexes every list in `folders` (file URIs) anew, reporting progress; queries wait for it. */
  build(folders: readonly string[], settings: IndexSettings): Promise<void> {
    this.folders = folders;
    this.matchers = compile(settings);
    return this.queue(() => this.indexAll());
  }

  private async indexAll(): Promise<void> {
    this.files.clear();
    const progress = await this.connection.window.createWorkDoneProgress();
    progress.begin('Blocklist: indexing the workspace', 0, 'listing files', false);
    try {
      const listed = (await Promise.all(this.folders.map((folder) => this.disk.list(folder)))).flat();
      const wanted = listed.filter((file) => file.size <= MAX_BYTES && this.wants(file.uri));
      for (let n = 0; n < wanted.length; n++) {
        await this.index(wanted[n].uri);
        if (n % 16 === 0) progress.report(Math.round((n * 100) / wanted.length), `${n} of ${wanted.length} files`);
      }
    } finally {
      progress.done();
    }
    this.allowlistsChanged(this.listed());
  }

  /** The entries of every indexed allowlist. */
  private listed(): NamedNetworks[] {
    return [...this.files.values()].flatMap((file) => file.allowlist?.listed ?? []);
  }

  /** Reads `uri` again (it changed on disk), or forgets it (not a list); queries wait for it. */
  update(uri: string): Promise<void> {
    return this.queue(async () => {
      const was = this.files.get(uri)?.allowlist;
      const dependents = this.dependents(uri);
      await this.index(uri);
      if (was || this.files.get(uri)?.allowlist) this.allowlistsChanged(this.listed());
      const now = [...new Set([...dependents, ...this.dependents(uri)])];
      if (now.length > 0) this.readWithChanged(now);
    });
  }

  /** Runs `work` after what is queued, one thing at a time, so that a rebuild and a file's update never interleave. */
  private queue(work: () => Promise<void>): Promise<void> {
    this.settled = this.settled.then(work).catch((error: unknown) => {
      this.connection.console.error(`The workspace index failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    });
    return this.settled;
  }

  private async index(uri: string): Promise<void> {
    if (!this.wants(uri)) {
      this.files.delete(uri);
      return;
    }
    const document = await this.read(uri);
    if (!document) {
      this.files.delete(uri);
      return;
    }
    const table = document.entries;
    const v4 = new IntervalBuilder(IPV4, 16);
    const v6 = new IntervalBuilder(IPV6, 16);
    for (let k = 0; k < table.count; k++) {
      if (table.version[k] === 4) v4.add(table.lo4[k], table.hi4[k]);
      else v6.add(table.lo6[k], table.hi6[k]);
    }
    const allowlist = this.namedAllowlist(uri) || saysAllowlist(document);
    this.files.set(uri, {
      named: { ipv4: v4.build(), ipv6: v6.build() },
      ...(allowlist ? { allowlist: { listed: listedNetworks(uri, document) } } : {}),
    });
  }

  forget(uri: string): void {
    const was = this.files.get(uri)?.allowlist;
    const dependents = this.dependents(uri);
    this.files.delete(uri);
    if (was) this.allowlistsChanged(this.listed());
    if (dependents.length > 0) this.readWithChanged(dependents);
  }

  /**
   * What `uri` is read with: a hosts.deny, the hosts.allow in its folder (as the editor has it, else as on disk); with
   * `groups`, the lists loaded before it in its groups (`blocklist.groups`), each read and audited for what it blocks.
   */
  async readWith(uri: string, groups = true): Promise<ReadWith> {
    const hostsAllow = await this.hostsAllowBeside(uri);
    const earlierLists: EarlierList[] = [];
    // Never the open documents' analyses: those ask for their own readWith, which for lists in contradictory orders would wait on this one.
    for (const other of groups ? this.earlier(uri) : []) {
      const audited = await this.readAndAudit(other);
      if (audited) earlierLists.push({ file: other, document: audited.document, blocked4: audited.result.blocked4, blocked6: audited.result.blocked6 });
    }
    return { ...(hostsAllow ? { hostsAllow } : {}), ...(earlierLists.length > 0 ? { earlierLists } : {}) };
  }

  /** The files whose readWith holds `uri`: the hosts.deny beside a hosts.allow, the lists after it in its groups. */
  dependents(uri: string): string[] {
    const after = this.inGroups(uri, (members, at) => members.slice(at + 1));
    return uri.endsWith('/hosts.allow') ? [uri.replace(/hosts\.allow$/, 'hosts.deny'), ...after] : after;
  }

  /** The lists loaded before `uri` in its groups, in order. */
  private earlier(uri: string): string[] {
    return this.inGroups(uri, (members, at) => members.slice(0, at));
  }

  /** The lists `pick` takes of each group holding `uri` (its members in load order, and where `uri` stands), each once, `uri` aside. */
  private inGroups(uri: string, pick: (members: string[], at: number) => string[]): string[] {
    const found = new Set<string>();
    for (const group of this.matchers.groups) {
      const members = this.members(group);
      const at = members.indexOf(uri);
      if (at >= 0) for (const other of pick(members, at)) found.add(other);
    }
    found.delete(uri);
    return [...found];
  }

  /** A group's lists in load order: by the first of its globs each matches, then by path. Indexed and open lists. */
  private members(group: readonly RegExp[]): string[] {
    const open = this.documents.all().map((document) => document.uri);
    const ranked: { uri: string; path: string; rank: number }[] = [];
    for (const uri of new Set([...this.files.keys(), ...open])) {
      const path = this.pathOf(uri);
      const rank = path === undefined ? -1 : group.findIndex((glob) => glob.test(path));
      if (rank >= 0) ranked.push({ uri, path: path!, rank });
    }
    return ranked.sort((a, b) => a.rank - b.rank || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)).map((member) => member.uri);
  }

  /** The hosts.allow in the folder of a file named hosts.deny, read as hosts.allow, if there is one. */
  private async hostsAllowBeside(uri: string): Promise<HostsAllowFile | undefined> {
    if (!uri.endsWith('/hosts.deny')) return undefined;
    const beside = uri.replace(/hosts\.deny$/, 'hosts.allow');
    const text = this.documents.get(beside)?.getText() ?? (await this.disk.read(beside).then(decodeText, () => undefined));
    return text === undefined || notTextAt(text) >= 0 ? undefined : { file: beside, document: parseDocument(text, hostsAllow) };
  }

  /**
   * Every list with an entry that names an address of `query`, and what each entry does with them: the indexed files,
   * and the open blocklists (as edited, indexed or not).
   */
  async which(query: Addresses): Promise<FileAnswer[]> {
    await this.settled;
    const open = this.documents
      .all()
      .filter((document) => document.languageId === 'blocklist')
      .map((document) => document.uri);
    const indexed = [...this.files].filter(([uri, { named }]) => !open.includes(uri) && overlapsAny(named, query)).map(([uri]) => uri);
    const answers: FileAnswer[] = [];
    for (const uri of [...open, ...indexed]) {
      const audited = await this.audited(uri);
      if (audited) answers.push({ uri, document: audited.document, answer: which(audited.document, audited.result, query) });
    }
    return answers.sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
  }

  /** Every indexed list, read again, with what it blocks (its effective sets): for the workspace report. */
  async lists(): Promise<(Audited & { readonly uri: string })[]> {
    await this.settled;
    const lists = [];
    for (const uri of [...this.files.keys()].sort()) {
      const audited = await this.audited(uri);
      if (audited) lists.push({ uri, ...audited });
    }
    return lists;
  }

  /** An open blocklist's analysis, else the file read and audited for its effective sets. */
  private async audited(uri: string): Promise<Audited | undefined> {
    return (await this.opened(uri)) ?? (await this.readAndAudit(uri));
  }

  /** The list as the editor has it, else as on disk, audited with its hosts.allow for its effective sets only (no finding is wanted). */
  private async readAndAudit(uri: string): Promise<Audited | undefined> {
    const document = await this.read(uri, true);
    return document && { document, result: audit(document, { ...DEFAULT_AUDIT_OPTIONS, maxFindings: 0, ...(await this.readWith(uri, false)) }) };
  }

  /** Whether `uri` is under an open folder, matches an include, allowlist or group glob, and no exclude glob. */
  private wants(uri: string): boolean {
    const path = this.pathOf(uri);
    if (path === undefined) return false;
    const { include, allowlists, groups, exclude } = this.matchers;
    return [...include, ...allowlists, ...groups.flat()].some((glob) => glob.test(path)) && !exclude.some((glob) => glob.test(path));
  }

  /** Whether `blocklist.allowlists` names `uri`. */
  private namedAllowlist(uri: string): boolean {
    const path = this.pathOf(uri);
    return path !== undefined && this.matchers.allowlists.some((glob) => glob.test(path));
  }

  /** `uri`'s path under the open folder that holds it, or undefined outside them. */
  private pathOf(uri: string): string | undefined {
    const folder = this.folders.find((candidate) => uri.startsWith(candidate.endsWith('/') ? candidate : `${candidate}/`));
    return folder === undefined ? undefined : decodeURIComponent(uri.slice(folder.replace(/\/$/, '').length + 1));
  }

  /**
   * The file as the editor has it (open, not as a blocklist), else as it is on disk; undefined when it is not a list:
   * binary data, or a `.txt` of prose, unless it was `indexed` already, a setting names it an allowlist or it says it is one.
   */
  private async read(uri: string, indexed = false): Promise<BlocklistDocument | undefined> {
    const open = this.documents.get(uri)?.getText();
    const text = open ?? (await this.disk.read(uri).then(decodeText, () => undefined));
    if (text === undefined || notTextAt(text) >= 0) return undefined;
    const name = decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1));
    if (!indexed && !this.namedAllowlist(uri) && name.endsWith('.txt') && !looksLikeBlocklist(text) && !parseRoleDirective(text)) return undefined;
    return parseDocument(text, detectFormat(name, text));
  }
}

function compile(settings: IndexSettings): { include: RegExp[]; exclude: RegExp[]; allowlists: RegExp[]; groups: RegExp[][] } {
  return {
    include: settings.include.map(globToRegExp),
    exclude: settings.exclude.map(globToRegExp),
    allowlists: settings.allowlists.map(globToRegExp),
    groups: settings.groups.map((group) => group.map(globToRegExp)),
  };
}

function overlapsAny(named: Addresses, query: Addresses): boolean {
  return !named.ipv4.intersection(query.ipv4).isEmpty || !named.ipv6.intersection(query.ipv6).isEmpty;
}

/** A query of one entry's addresses (for references). */
export function entryQuery(document: BlocklistDocument, k: number): Addresses {
  const table = document.entries;
  return table.version[k] === 4
    ? { ipv4: AddressSet.range(IPV4, table.lo4[k], table.hi4[k]), ipv6: AddressSet.empty(IPV6) }
    : { ipv4: AddressSet.empty(IPV4), ipv6: AddressSet.range(IPV6, table.lo6[k], table.hi6[k]) };
}
