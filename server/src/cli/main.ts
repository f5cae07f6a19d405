#!/usr/bin/env node
/**
 * `blocklist-audit`: exact counts and set algebra on blocklists, on the same
 * core as the language server.
 */
import { performance } from 'node:perf_hooks';
import { AddressCollector, AddressSet, IPV4, IPV6, type LineProblem } from '../core';
import type { ScopeSet } from '../core/analysis/facts';
import { formatAddresses } from '../core/addresses/display';
import { FINDING_RULES } from '../core/analysis/findingCodes';
import type { Scope } from '../core/document/scopes';
import { columnOf } from '../core/formats/format';
import { csvRecord } from '../core/primitives/csv';
import { IMPORT_DATA, parseArgs, parseImportDataArgs, parseUpdateDataArgs, UPDATE_DATA, USAGE, UsageError, type Options } from './args';
import { runCheck } from './check';
import { runDiff } from './diff';
import { runHistory } from './history';
import { runWhich } from './which';
import { formatOf, readScoped, readsAsUnion, readText, type ScopedRead } from './input';
import { Output, OutputError, writeUntilClosed } from './output';
import { importData } from './importData';
import { updateData } from './updateData';
import { formatCount } from '../core/primitives/formatCount';

/** Addresses per family, and how many entries gave them. */
interface Sets {
  readonly ipv4: AddressSet<number>;
  readonly ipv6: AddressSet<bigint>;
  readonly entries4: number;
  readonly entries6: number;
}

/** What a command reads of its files: their union, and the scopes of each file with several. */
interface FileSets extends Sets {
  readonly name: string;
  readonly scopes: readonly FileScope[];
}

/** A scope of a file with more than one scope holding entries, for `count`. */
interface FileScope {
  readonly file: string;
  readonly scope: Scope;
  readonly set: ScopeSet;
}

/** Commands that print one set as it is, so a file with several blocking scopes must say which. */
const ONE_SCOPE: readonly Options['command'][] = ['merge', 'ranges'];

class Run {
  invalidLines = 0;
  private readonly phases = { read: 0, parse: 0, sort: 0, merge: 0, print: 0 };
  private readonly out = new Output();
  /** Whether some file has the scope --scope names, and the scopes of the files read by scope (for the message when none has). */
  private scopeFound = false;
  private readonly scopesSeen: string[] = [];

  constructor(private readonly options: Options) {}

  execute(): number | Promise<number> {
    const { command, files } = this.options;
    if (command === 'check') return runCheck(this.options, new Date());
    if (command === 'diff') return runDiff(this.options, new Date());
    if (command === 'history') return runHistory(this.options);
    if (command === 'which') return runWhich(this.options);
    const sets =
      command === 'except'
        ? [this.readUnion(files.slice(0, 1)), this.readUnion(files.slice(1))]
        : command === 'common' || command === 'compare'
          ? files.map((file) => this.readUnion([file]))
          : [this.readUnion(files)];
    if (this.options.scope !== undefined && !this.scopeFound) {
      const seen = this.scopesSeen.length > 0 ? `Scopes: ${[...new Set(this.scopesSeen)].join(', ')}.` : 'The files have no sets, tables or blocks.';
      throw new UsageError(`No file has a scope named "${this.options.scope}". ${seen}`);
    }
    writeUntilClosed(this.out, () => {
      switch (command) {
        case 'count':
          this.count(sets[0]);
          break;
        case 'merge':
          this.printCidrs(sets[0]);
          break;
        case 'ranges':
          this.printRanges(sets[0]);
          break;
        case 'common':
          this.printCidrs(this.fold(sets, (a, b) => a.intersection(b)));
          break;
        case 'except':
          this.printCidrs(this.fold(sets, (a, b) => a.difference(b)));
          break;
        case 'compare':
          this.compare(sets);
          break;
      }
      this.timed('print', () => this.out.flush());
    });
    if (this.options.profile) process.stderr.write(JSON.stringify(this.phases) + '\n');
    return this.options.strict && this.invalidLines > 0 ? 1 : 0;
  }

  /**
   * Reads files into one union; reports each file's problems on stderr.
   * Plain lists go straight into an AddressCollector; files of formats with
   * scopes or rules of their own are read scope by scope, and give what
   * their blocking scopes block, or the scope --scope names.
   */
  private readUnion(files: readonly string[]): FileSets {
    const collector = new AddressCollector();
    const scoped: { file: string; read: ScopedRead }[] = [];
    for (const file of files) {
      const text = this.timed('read', () => readText(file));
      const format = this.timed('parse', () => formatOf(file, text, this.options.inputFormat));
      if (readsAsUnion(format)) {
        const problems = this.timed('parse', () => collector.read(text, format.read));
        this.report(file, text, problems);
        if (this.options.scope === '') this.scopeFound = true; // a plain list is all the file's own
      } else {
        const read = this.timed('parse', () => readScoped(text, format));
        this.report(file, text, read.problems);
        scoped.push({ file, read });
      }
    }
    this.timed('sort', () => {
      collector.ipv4.sortBounds();
      collector.ipv6.sortBounds();
    });
    return this.timed('merge', () => {
      let ipv4 = collector.ipv4.build();
      let ipv6 = collector.ipv6.build();
      let entries4 = collector.ipv4.count;
      let entries6 = collector.ipv6.count;
      const scopes: FileScope[] = [];
      for (const { file, read } of scoped) {
        const chosen = this.choose(file, read);
        ipv4 = ipv4.union(chosen.ipv4);
        ipv6 = ipv6.union(chosen.ipv6);
        entries4 += chosen.entries4;
        entries6 += chosen.entries6;
        if (read.sets.length > 1) scopes.push(...read.sets.map((set) => ({ file, scope: read.scopes[set.scope], set })));
      }
      return { name: files.join(' '), ipv4, ipv6, entries4, entries6, scopes };
    });
  }

  /** What a file read by scope gives: the scope --scope names, if it has one, else what its blocking scopes block. */
  private choose(file: string, read: ScopedRead): Sets {
    const listed = read.scopes.filter((scope, s) => scope.name !== '' || read.sets.some((set) => set.scope === s));
    this.scopesSeen.push(...listed.map(describeScope));
    const named = this.options.scope === undefined ? -1 : read.scopes.findIndex((scope) => scope.name === this.options.scope);
    if (named >= 0) {
      this.scopeFound = true;
      const set = read.sets.find((candidate) => candidate.scope === named);
      if (!set) return { ipv4: AddressSet.empty(IPV4), ipv6: AddressSet.empty(IPV6), entries4: 0, entries6: 0 };
      return { ipv4: set.blocked4, ipv6: set.blocked6, entries4: set.entries4, entries6: set.entries6 };
    }
    const blocking = read.sets.filter((set) => read.scopes[set.scope].role === 'block');
    if (blocking.length > 1 && ONE_SCOPE.includes(this.options.command)) {
      const none = this.options.scope === undefined ? '' : ` no scope named "${this.options.scope}" and`;
      throw new UsageError(
        `${file} has${none} ${blocking.length} blocking scopes: ${listed.map(describeScope).join(', ')}. ` +
          `Pass --scope NAME to ${this.options.command} one of them (NAME as in the file, e.g. --scope ${shellWord(read.scopes[blocking[0].scope].name)}).`,
      );
    }
    return { ipv4: read.blocked4, ipv6: read.blocked6, entries4: read.entries4, entries6: read.entries6 };
  }

  private fold(sets: FileSets[], combine: <A extends number | bigint>(a: AddressSet<A>, b: AddressSet<A>) => AddressSet<A>): FileSets {
    return this.timed('merge', () =>
      sets.reduce((a, b) => ({
        name: a.name,
        ipv4: combine(a.ipv4, b.ipv4),
        ipv6: combine(a.ipv6, b.ipv6),
        entries4: a.entries4,
        entries6: a.entries6,
        scopes: a.scopes,
      })),
    );
  }

  /** The totals (blocking scopes only, or the scope --scope names); then, for files with several scopes, each scope's own. */
  private count(sets: FileSets): void {
    const ipv4 = sets.ipv4.size();
    const ipv6 = sets.ipv6.size();
    this.timed('print', () => {
      if (this.options.json) {
        const scopes = sets.scopes.map(({ file, scope, set }) => ({
          file,
          name: scope.name,
          label: scope.label,
          role: scope.role,
          evaluation: scope.evaluation,
          ipv4: { entries: set.entries4, addresses: set.blocked4.size().toString() },
          ipv6: { entries: set.entries6, addresses: set.blocked6.size().toString() },
        }));
        this.out.line(
          JSON.stringify({
            ipv4: { entries: sets.entries4, addresses: ipv4.toString() },
            ipv6: { entries: sets.entries6, addresses: ipv6.toString() },
            ...(scopes.length > 0 ? { scopes } : {}),
          }),
        );
        return;
      }
      // As people read them (IPv6 in powers of two and /48s); --json keeps the exact integers.
      const figures = (version: 4 | 6, entries: number, addresses: bigint) =>
        `${formatCount(entries)} ${entries === 1 ? 'entry' : 'entries'} blocking ${formatAddresses(version, addresses)}`;
      this.out.line(`IPv4: ${figures(4, sets.entries4, ipv4)}`);
      this.out.line(`IPv6: ${figures(6, sets.entries6, ipv6)}`);
      for (const { file, scope, set } of sets.scopes) {
        const where = this.options.files.length > 1 ? `${file}: ` : '';
        const own = `IPv4 ${figures(4, set.entries4, set.blocked4.size())}; IPv6 ${figures(6, set.entries6, set.blocked6.size())}`;
        this.out.line(`  ${where}${scope.label} (${scope.role}, ${scope.evaluation}): ${own}`);
      }
    });
  }

  private printCidrs(sets: FileSets): void {
    this.timed('print', () => {
      for (const set of [sets.ipv4, sets.ipv6] as AddressSet<number | bigint>[]) {
        set.forEachCidr((network, prefix) => this.out.cidrLine(network, prefix));
      }
    });
  }

  private printRanges(sets: FileSets): void {
    this.timed('print', () => {
      for (const set of [sets.ipv4, sets.ipv6] as AddressSet<number | bigint>[]) {
        set.forEachRange((start, end) => this.out.rangeLine(start, end));
      }
    });
  }

  private compare(sets: FileSets[]): void {
    this.out.line('file1,file2,entries1,entries2,addresses1,addresses2,common');
    for (let i = 0; i < sets.length; i++) {
      for (let j = i + 1; j < sets.length; j++) {
        const a = sets[i];
        const b = sets[j];
        const common = a.ipv4.intersection(b.ipv4).size() + a.ipv6.intersection(b.ipv6).size();
        this.out.write(csvRecord([a.name, b.name, a.entries4 + a.entries6, b.entries4 + b.entries6, totalSize(a), totalSize(b), common]));
      }
    }
  }

  private report(file: string, text: string, problems: readonly LineProblem[]): void {
    if (problems.length === 0) return;
    const lines = problems
      .map((p) => {
        if (p.code === 'invalid-entry') this.invalidLines++;
        // As check says it: each code's own severity (pf's unresolved host names are information).
        const severity = FINDING_RULES[p.code].severity;
        return `${file}:${p.line + 1}:${columnOf(text, p.start) + 1}: ${severity}: ${p.message} [${p.code}]\n`;
      })
      .join('');
    process.stderr.write(lines);
  }

  private timed<T>(phase: keyof Run['phases'], work: () => T): T {
    const start = performance.now();
    try {
      return work();
    } finally {
      this.phases[phase] += Math.round((performance.now() - start) * 10) / 10;
    }
  }
}

/** `set blocklist`, `set allowlist (allow)`, `the file (--scope "")`: a scope as the messages list it. */
function describeScope(scope: Scope): string {
  return `${scope.label}${scope.role === 'allow' ? ' (allow)' : ''}${scope.name === '' ? ' (--scope "")' : ''}`;
}

/** `name` as a shell word: quoted when a shell would split or expand it, `""` when empty. */
function shellWord(name: string): string {
  if (name === '') return '""';
  return /^[\w.:/-]+$/.test(name) ? name : `'${name.replace(/'/g, `'\\''`)}'`;
}

function totalSize(sets: FileSets): bigint {
  return sets.ipv4.size() + sets.ipv6.size();
}

async function main(argv: readonly string[]): Promise<number> {
  try {
    const options = argv[0] === UPDATE_DATA ? parseUpdateDataArgs(argv.slice(1)) : argv[0] === IMPORT_DATA ? parseImportDataArgs(argv.slice(1)) : parseArgs(argv);
    if (options === 'help') {
      const out = new Output();
      writeUntilClosed(out, () => out.line(USAGE));
      return 0;
    }
    if ('files' in options && !('command' in options)) return await importData(options, new Date());
    if (!('command' in options)) return await updateData(options, new Date());
    return await new Run(options).execute();
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`blocklist-audit: ${error.message}\nRun "blocklist-audit --help" for usage.\n`);
      return 2;
    }
    if (error instanceof OutputError) {
      process.stderr.write(`blocklist-audit: ${error.message}\n`);
      return 2;
    }
    // Not 1, which says "findings": a script must not take a crash for a verdict.
    process.stderr.write(`blocklist-audit: internal error, please report it: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 3;
  }
}

// Standard error is where a failure would be told: when it fails too (closed early, a full disk), there is nowhere left to tell it.
process.stderr.on('error', () => {});
void main(process.argv.slice(2)).then((status) => (process.exitCode = status));
