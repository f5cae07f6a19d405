#!/usr/bin/env node
/**
 * `blocklist-audit`: exact counts and set algebra on blocklists, on the same
 * core as the language server.
 */
import { performance } from 'node:perf_hooks';
import { AddressCollector, type AddressSet, type LineProblem } from '../core';
import { columnOf } from '../core/formats/format';
import { parseArgs, USAGE, UsageError, type Options } from './args';
import { runCheck } from './check';
import { formatOf, readText } from './input';
import { Output } from './output';

/** A file's union per family, and how many entries it gave. */
interface FileSets {
  readonly name: string;
  readonly ipv4: AddressSet<number>;
  readonly ipv6: AddressSet<bigint>;
  readonly entries4: number;
  readonly entries6: number;
}

class Run {
  invalidLines = 0;
  private readonly phases = { read: 0, parse: 0, sort: 0, merge: 0, print: 0 };
  private readonly out = new Output();

  constructor(private readonly options: Options) {}

  execute(): number {
    const { command, files } = this.options;
    switch (command) {
      case 'check':
        return runCheck(this.options);
      case 'count':
        this.count(this.readUnion(files));
        break;
      case 'merge':
        this.printCidrs(this.readUnion(files));
        break;
      case 'ranges':
        this.printRanges(this.readUnion(files));
        break;
      case 'common':
        this.printCidrs(
          this.fold(
            files.map((file) => this.readUnion([file])),
            (a, b) => a.intersection(b),
          ),
        );
        break;
      case 'except': {
        const [first, ...minus] = files;
        const subtrahend = this.readUnion(minus);
        this.printCidrs(this.fold([this.readUnion([first]), subtrahend], (a, b) => a.difference(b)));
        break;
      }
      case 'compare':
        this.compare(files.map((file) => this.readUnion([file])));
        break;
    }
    this.timed('print', () => this.out.flush());
    if (this.options.profile) process.stderr.write(JSON.stringify(this.phases) + '\n');
    return this.options.strict && this.invalidLines > 0 ? 1 : 0;
  }

  /** Reads files into one union; reports each file's problems on stderr. */
  private readUnion(files: readonly string[]): FileSets {
    const collector = new AddressCollector();
    for (const file of files) {
      const text = this.timed('read', () => readText(file));
      const problems = this.timed('parse', () => collector.read(text, formatOf(file, text, this.options.inputFormat).read));
      this.report(file, text, problems);
    }
    this.timed('sort', () => {
      collector.ipv4.sortBounds();
      collector.ipv6.sortBounds();
    });
    return this.timed('merge', () => ({
      name: files.join(' '),
      ipv4: collector.ipv4.build(),
      ipv6: collector.ipv6.build(),
      entries4: collector.ipv4.count,
      entries6: collector.ipv6.count,
    }));
  }

  private fold(sets: FileSets[], combine: <A extends number | bigint>(a: AddressSet<A>, b: AddressSet<A>) => AddressSet<A>): FileSets {
    return this.timed('merge', () =>
      sets.reduce((a, b) => ({
        name: a.name,
        ipv4: combine(a.ipv4, b.ipv4),
        ipv6: combine(a.ipv6, b.ipv6),
        entries4: a.entries4,
        entries6: a.entries6,
      })),
    );
  }

  private count(sets: FileSets): void {
    const ipv4 = sets.ipv4.size();
    const ipv6 = sets.ipv6.size();
    this.timed('print', () => {
      if (this.options.json) {
        this.out.line(
          JSON.stringify({
            ipv4: { entries: sets.entries4, addresses: ipv4.toString() },
            ipv6: { entries: sets.entries6, addresses: ipv6.toString() },
          }),
        );
        return;
      }
      this.out.line(`IPv4: ${sets.entries4.toLocaleString('en-US')} entries, ${ipv4.toLocaleString('en-US')} unique addresses`);
      this.out.line(`IPv6: ${sets.entries6.toLocaleString('en-US')} entries, ${ipv6.toLocaleString('en-US')} unique addresses`);
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
        const row = [csv(a.name), csv(b.name), a.entries4 + a.entries6, b.entries4 + b.entries6, totalSize(a), totalSize(b), common];
        this.out.line(row.join(','));
      }
    }
  }

  private report(file: string, text: string, problems: readonly LineProblem[]): void {
    if (problems.length === 0) return;
    const lines = problems
      .map((p) => {
        if (p.code === 'invalid-entry') this.invalidLines++;
        const severity = p.code === 'invalid-entry' ? 'error' : 'warning';
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

function totalSize(sets: FileSets): bigint {
  return sets.ipv4.size() + sets.ipv6.size();
}

function csv(field: string): string {
  return /[",\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

function main(argv: readonly string[]): number {
  try {
    const options = parseArgs(argv);
    if (options === 'help') {
      process.stdout.write(USAGE + '\n');
      return 0;
    }
    return new Run(options).execute();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`blocklist-audit: ${error.message}\nRun "blocklist-audit --help" for usage.\n`);
    return 2;
  }
}

process.exitCode = main(process.argv.slice(2));
