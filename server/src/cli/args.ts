/** Command-line parsing for `blocklist-audit`: `COMMAND [options] FILE…`. */
import { ASN_DATASET_FORMATS, DEFAULT_OWNERSHIP_FORMAT, DEFAULT_OWNERSHIP_URL, type AsnDatasetFormat } from '../core/ownership/asnDatasets';
import { DEFAULT_MAX_DATA_AGE_DAYS } from '../core/ownership/dataAbout';
import { dayInFileName, invalidSnapshotName, SNAPSHOT_FORMATS, snapshotFormatOf, type SnapshotFormat } from '../core/ownership/snapshots';

export const USAGE = `Usage: blocklist-audit COMMAND [options] FILE…

Commands:
  check FILE…           the editor's findings: invalid entries, duplicates, overlaps, overbroad and special-purpose entries
  count FILE…           unique addresses per family and entries read, and per scope for a file with several
  merge FILE…           the union as the minimal CIDR list (IPv4, then IPv6)
  ranges FILE…          the union as start-end ranges
  common FILE…          addresses in every file, as CIDRs
  except FILE MINUS…    addresses of FILE in none of the others, as CIDRs
  compare FILE…         entries, addresses and common addresses of each pair, as CSV
  diff OLD NEW          what a change does, scope by scope: addresses blocked more and less (exact, per
                        family) and whose they are, entries added, removed and changed, findings introduced
                        and resolved; OLD and NEW are each a file, "-", or REV:PATH read through git (PATH
                        from the repository's root, ./PATH from the current folder)
  which QUERY FILE…     every entry of the files that blocks any address of QUERY (an address, CIDR, range,
                        AS123 or a provider), with what it does under its scope's rule; exit status 1 when
                        a file blocks any of it
  history FILE          each commit that changed FILE (newest first): its date, entries and addresses added
                        and removed, what the file blocks after it, and the providers it added most of
  update-data           download current ownership data (who holds each address) into the cache, where check
                        uses it from then on; a failed update leaves the data in use as it was
  import-data FILE…     keep ownership data of a chosen day (one file per family, plain or gzipped) as a
                        snapshot that --ownership-data and "# ownership-data: NAME" choose

Options:
  --input-format ID            read files as this format instead of detecting it (plain, firehol, nginx, ipset, …)
  --format text|json|sarif     output of check: text (the default) as ESLint's "stylish", each file's findings in
                               aligned rows, its totals, and the count of errors and warnings; SARIF 2.1.0 for code
                               scanning. diff: text, json, markdown (a review comment) or sarif; history: text,
                               json or csv; which: text or json
  --fail-on error|warning|never   check exits with status 1 on findings of this severity or worse (default error)
  --since REV                  check reports only the findings the change since REV introduced, on its own lines
                               or caused elsewhere (SARIF: every result with its baselineState against REV); the
                               exit status counts those. history: --since DATE, commits from that date on
  --old FILE, --new FILE       diff's sides as files, for names that contain a colon
  --fail-on protected,new-errors   diff exits with status 1 when the change blocks a protected network, or
                               introduces an error
  --fail-on-added N            diff exits with status 1 when the change blocks more than N more addresses of a family
  --fail-on-provider CATEGORY|PROVIDER   diff exits with status 1 when the change blocks at least
                               --provider-threshold more addresses (default 256) of a category (cloud, cdn,
                               hosting, platform, messenger) or a provider (aws, google-cloud, …); commas for several
  --max-count N                history lists at most N commits (default 100)
  --allowlist FILE             check reports every entry that blocks an address FILE lists as a protected error,
                               the allowlist's line as related information (repeat it, or commas, for several);
                               a FILE checked that starts with "# blocklist-role: allow" is an allowlist too
  --group FILE,FILE…           check loads these lists into one set, in this order: an entry of a later list whose
                               addresses the lists before it already block is covered-elsewhere (information), the
                               earlier list's line as related information; the group's files are checked too.
                               Repeat it for several groups
  --no-hosts-allow             check and which read a file named hosts.deny alone; by default the hosts.allow in its
                               folder, if there is one, is read with it and decides first, as tcpd does (check's
                               totals name it; which says what it allows first)
  --max-results N              check writes at most N findings, the most severe first, and says how many it left
                               out (default: all in text and JSON; 25,000 in SARIF, GitHub code scanning's limit
                               per run); the exit status counts them all
  --max-warnings N             check exits with status 1 when there are more than N warnings, as well as by --fail-on
  --quiet                      check writes and counts errors only (the exit status still counts every finding)
  --ownership-data NAME        check audits every file with the ownership snapshot NAME (see import-data), in
                               place of the data in use; without it, a file whose head says
                               "# ownership-data: NAME" is audited with that snapshot
  --max-data-age DAYS          check warns when the ownership data (who holds each address, as of its date) is
                               older than this many days (default ${DEFAULT_MAX_DATA_AGE_DAYS}); the exit status does not change
  --json                       machine-readable output of count
  --scope NAME                 read only the set, table or nginx block NAME (as named in the file) of each file
                               that has it; merge and ranges need it for a file with several blocking scopes
  --strict                     exit with status 1 if any line is invalid
  --profile                    print phase timings (ms) as JSON on stderr
  -h, --help                   this text

update-data options:
  --url URL                    the https folder holding the dataset's files (default
                               ${DEFAULT_OWNERSHIP_URL})
  --format csv|iptoasn         csv: ip-location-db's asn-ipv4.csv and asn-ipv6.csv (the default); iptoasn:
                               ip2asn-v4.tsv.gz and ip2asn-v6.tsv.gz

import-data options:
  --name NAME                  the snapshot's name (default: its day)
  --format pfx2as|iptoasn|csv  pfx2as: RouteViews/CAIDA prefix-to-AS (prefix, length, origin; the names of its
                               ASNs are today's data's); iptoasn: ip2asn TSV; csv: ip-location-db ASN CSV
                               (default: told by the file name: .pfx2as, .tsv, .csv)
  --date YYYY-MM-DD            the day the data describes (default: the date in the file name)

FILE may be "-" for standard input. Invalid lines are reported on stderr as
FILE:LINE:COL: message and skipped. Each file counts as its format's firewall
decides: an ipset hash:net set or a pf table by its most specific entry
(exceptions included), nginx rules by the first match; allowlists block nothing.

check's text is in colour on a terminal, plain when piped; NO_COLOR (set, not
empty) turns colour off, FORCE_COLOR turns it on when piped (0 or false: off).

Exit status: 0 done; 1 findings reaching --fail-on (check), a failed gate (diff),
a query blocked (which) or invalid lines (--strict); 2 a usage error, a file that
cannot be read or output that cannot be written; 3 an internal error (a bug:
please report it with the message).
A reader that stops early (| head) ends the output quietly.`;

export const COMMANDS = ['check', 'count', 'merge', 'ranges', 'common', 'except', 'compare', 'diff', 'history', 'which'] as const;
export type Command = (typeof COMMANDS)[number];

export type OutputFormat = 'text' | 'json' | 'sarif' | 'markdown' | 'csv';
export type FailOn = 'error' | 'warning' | 'never';
/** A version `diff` reads: a file ("-" standard input), or `REV:PATH` read through git. */
export interface DiffSide {
  readonly name: string;
  readonly atRevision: boolean;
}

/** What makes `diff` fail. */
export type DiffGate = 'protected' | 'new-errors';

export interface Options {
  readonly command: Command;
  readonly files: readonly string[];
  readonly json: boolean;
  readonly strict: boolean;
  readonly profile: boolean;
  readonly output: OutputFormat;
  readonly failOn: FailOn;
  /** A format id, or undefined to detect each file's format. */
  readonly inputFormat?: string;
  /** The set, table or block to read of each file that has one by this name ('' is the file's own entries). */
  readonly scope?: string;
  /** The most findings check writes, or undefined for its output format's default. */
  readonly maxResults?: number;
  /** check fails with more warnings than this. */
  readonly maxWarnings?: number;
  /** check writes errors only. */
  readonly quiet: boolean;
  /** check and diff warn when the ownership data is older than this many days. */
  readonly maxDataAgeDays: number;
  /** check: the revision to compare with; history: the oldest date. */
  readonly since?: string;
  /** diff: OLD and NEW. */
  readonly sides: readonly DiffSide[];
  /** diff fails on these. */
  readonly diffGates: readonly DiffGate[];
  /** diff fails when the change adds more addresses than this in a family. */
  readonly failOnAdded?: bigint;
  /** diff fails when the change adds at least `providerThreshold` addresses of one of these (provider ids, names or categories). */
  readonly failOnProviders: readonly string[];
  readonly providerThreshold: bigint;
  /** history: the most commits. */
  readonly maxCount: number;
  /** check: files whose entries the others must not block (--allowlist, repeated or with commas). */
  readonly allowlists: readonly string[];
  /** check: the ownership snapshot to audit every file with, in place of the data in use and the files' directives. */
  readonly ownershipData?: string;
  /** check: groups of lists loaded into one set, each in order (--group, repeated for several groups). */
  readonly groups: readonly (readonly string[])[];
  /** check and which: read each hosts.deny with the hosts.allow beside it. */
  readonly hostsAllow: boolean;
}

/** A mistake in how the tool was called: exit status 2 with the message and a pointer to --help. */
export class UsageError extends Error {}

const MINIMUM_FILES: Record<Command, number> = { check: 1, count: 1, merge: 1, ranges: 1, common: 2, except: 2, compare: 2, diff: 0, history: 1, which: 2 };
const SWITCHES = ['--json', '--strict', '--profile', '--quiet', '--no-hosts-allow'];

/** The output formats of each command that has several. */
const OUTPUTS: Partial<Record<Command, readonly OutputFormat[]>> = {
  check: ['text', 'json', 'sarif'],
  diff: ['text', 'json', 'markdown', 'sarif'],
  history: ['text', 'json', 'csv'],
  which: ['text', 'json'],
};

/** The options some commands only take, and why the others do not. */
const ONLY_FOR: Record<string, { readonly commands: readonly Command[]; readonly why: string }> = {
  '--format': { commands: ['check', 'diff', 'history', 'which'], why: 'the other commands write lists of addresses (count: --json)' },
  '--fail-on': { commands: ['check', 'diff'], why: 'the other commands fail on usage errors only' },
  '--max-results': { commands: ['check'], why: 'the other commands write every address' },
  '--max-warnings': { commands: ['check'], why: 'the other commands write every address' },
  '--quiet': { commands: ['check'], why: 'the other commands write every address' },
  '--max-data-age': { commands: ['check', 'diff'], why: 'the other commands use no ownership data' },
  '--since': { commands: ['check', 'history'], why: 'the other commands read files as they are' },
  '--old': { commands: ['diff'], why: 'it names the old side of a diff' },
  '--new': { commands: ['diff'], why: 'it names the new side of a diff' },
  '--fail-on-added': { commands: ['diff'], why: 'it is a gate on a change' },
  '--fail-on-provider': { commands: ['diff'], why: 'it is a gate on a change' },
  '--provider-threshold': { commands: ['diff'], why: 'it is a gate on a change' },
  '--max-count': { commands: ['history'], why: 'it limits the commits of a history' },
  '--allowlist': { commands: ['check'], why: 'it protects what the allowlist lists from the findings of check' },
  '--ownership-data': { commands: ['check'], why: 'the other commands use the data in use' },
  '--group': { commands: ['check'], why: 'it tells check which lists are loaded into one set' },
  '--no-hosts-allow': { commands: ['check', 'which'], why: 'only check and which read a hosts.deny with its hosts.allow' },
};

const VALUED = [
  '--format',
  '--fail-on',
  '--input-format',
  '--scope',
  '--max-results',
  '--max-warnings',
  '--max-data-age',
  ...Object.keys(ONLY_FOR).filter((flag) => !SWITCHES.includes(flag)),
];

/** One stray /32 must not fail every update of a list: a provider gate needs at least a /24 of it by default. */
const DEFAULT_PROVIDER_THRESHOLD = 256n;
const DEFAULT_MAX_COUNT = 100;

const CHECK_FAIL_ON: readonly FailOn[] = ['error', 'warning', 'never'];
const DIFF_GATES: readonly DiffGate[] = ['protected', 'new-errors'];

/** Returns the options, or 'help' when help was asked for. Throws UsageError. */
export function parseArgs(argv: readonly string[]): Options | 'help' {
  if (argv.length === 0 || argv.includes('-h') || argv.includes('--help')) return 'help';
  const [name, ...rest] = argv;
  const command = COMMANDS.find((c) => c === name);
  if (!command) throw new UsageError(`Unknown command "${name}". Commands: ${[...COMMANDS, UPDATE_DATA].join(', ')}.`);
  const switches = new Set<string>();
  const values = new Map<string, string>();
  const files: string[] = [];
  const groups: string[][] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (!arg.startsWith('--')) {
      files.push(arg);
      continue;
    }
    const [flag, inline] = arg.split(/=(.*)/s, 2);
    if (SWITCHES.includes(flag) && inline === undefined) {
      switches.add(flag);
    } else if (VALUED.includes(flag)) {
      const value = inline ?? rest[++i];
      if (value === undefined) throw new UsageError(`${flag} needs a value.`);
      // A repeated --allowlist adds files, a repeated --group another group; another option's last value counts.
      if (flag === '--group') groups.push(value.split(',').filter((file) => file !== ''));
      else values.set(flag, flag === '--allowlist' && values.has(flag) ? `${values.get(flag)},${value}` : value);
    } else {
      throw new UsageError(`Unknown option "${arg}".`);
    }
  }
  for (const [flag, only] of Object.entries(ONLY_FOR)) {
    if ((values.has(flag) || switches.has(flag) || (flag === '--group' && groups.length > 0)) && !only.commands.includes(command)) {
      throw new UsageError(`${flag} is for ${only.commands.map((c) => `"${c}"`).join(' and ')}: ${only.why}.`);
    }
  }
  const sides: DiffSide[] = files.map((name) => ({ name, atRevision: name.includes(':') }));
  if (values.has('--old')) sides.unshift({ name: values.get('--old')!, atRevision: false });
  if (values.has('--new')) sides.push({ name: values.get('--new')!, atRevision: false });
  if (command === 'diff' && sides.length !== 2) {
    throw new UsageError(`"diff" compares two versions, OLD and NEW (each a file, "-", or REV:PATH; --old FILE and --new FILE for names with a colon), not ${sides.length}.`);
  }
  const lone = groups.find((group) => group.length < 2);
  if (lone) throw new UsageError(`--group names the lists of one set in their order, at least two with commas, not "${lone.join(',')}".`);
  if (files.length + groups.flat().length < MINIMUM_FILES[command]) {
    const needed = MINIMUM_FILES[command] === 1 ? 'a file' : `at least ${MINIMUM_FILES[command]} files`;
    throw new UsageError(`"${command}" needs ${needed} ("-" reads standard input).`);
  }
  if (command === 'history' && files.length > 1) throw new UsageError('"history" reads one file\'s commits: name one file.');
  if (command === 'check' && values.has('--scope')) throw new UsageError('--scope is for the set commands: "check" reports on every scope of each file.');
  const whole = (flag: string, what: string, minimum = 0) => {
    const value = values.get(flag);
    if (value !== undefined && !(/^\d+$/.test(value) && Number(value) >= minimum)) {
      throw new UsageError(`${flag} takes a whole number of ${what} (${minimum} or more), not "${value}".`);
    }
    return value === undefined ? undefined : Number(value);
  };
  const addresses = (flag: string) => {
    const value = values.get(flag);
    if (value !== undefined && !/^\d+$/.test(value)) throw new UsageError(`${flag} takes a whole number of addresses, not "${value}".`);
    return value === undefined ? undefined : BigInt(value);
  };
  const oneOf = <T extends string>(flag: string, allowed: readonly T[], fallback: T): T => {
    const value = values.get(flag) ?? fallback;
    if (!allowed.includes(value as T)) throw new UsageError(`${flag} of "${command}" takes ${allowed.join(', ')}, not "${value}".`);
    return value as T;
  };
  const listOf = (flag: string) => (values.get(flag) ?? '').split(',').filter((item) => item !== '');
  const diffGates = command === 'diff' ? listOf('--fail-on') : [];
  const unknownGate = diffGates.find((gate) => !DIFF_GATES.includes(gate as DiffGate));
  if (unknownGate !== undefined) throw new UsageError(`--fail-on of "diff" takes ${DIFF_GATES.join(', ')} (several with commas), not "${unknownGate}".`);
  return {
    command,
    files,
    json: switches.has('--json'),
    strict: switches.has('--strict'),
    profile: switches.has('--profile'),
    output: oneOf('--format', OUTPUTS[command] ?? ['text'], 'text'),
    failOn: command === 'check' ? oneOf('--fail-on', CHECK_FAIL_ON, 'error') : 'error',
    inputFormat: values.get('--input-format'),
    scope: values.get('--scope'),
    maxResults: whole('--max-results', 'findings'),
    maxWarnings: whole('--max-warnings', 'warnings'),
    quiet: switches.has('--quiet'),
    maxDataAgeDays: whole('--max-data-age', 'days', 1) ?? DEFAULT_MAX_DATA_AGE_DAYS,
    since: values.get('--since'),
    sides,
    diffGates: diffGates as DiffGate[],
    failOnAdded: addresses('--fail-on-added'),
    failOnProviders: listOf('--fail-on-provider'),
    providerThreshold: addresses('--provider-threshold') ?? DEFAULT_PROVIDER_THRESHOLD,
    maxCount: whole('--max-count', 'commits', 1) ?? DEFAULT_MAX_COUNT,
    allowlists: listOf('--allowlist'),
    ownershipData: values.get('--ownership-data'),
    groups,
    hostsAllow: !switches.has('--no-hosts-allow'),
  };
}

/** The command that updates the ownership data: it takes no files, so it has options of its own. */
export const UPDATE_DATA = 'update-data';

export interface UpdateDataOptions {
  readonly url: string;
  readonly format: AsnDatasetFormat;
}

/** The options of `update-data [--url URL] [--format csv|iptoasn]` (the arguments after the command), or 'help'. Throws UsageError. */
export function parseUpdateDataArgs(argv: readonly string[]): UpdateDataOptions | 'help' {
  if (argv.includes('-h') || argv.includes('--help')) return 'help';
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    if (flag !== '--url' && flag !== '--format') throw new UsageError(`"${UPDATE_DATA}" takes --url and --format only, not "${argv[i]}".`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new UsageError(`${flag} needs a value${flag === '--format' ? `: ${ASN_DATASET_FORMATS.join(', ')}` : ''}.`);
    values.set(flag, value);
  }
  const format = values.get('--format') ?? DEFAULT_OWNERSHIP_FORMAT;
  if (!ASN_DATASET_FORMATS.includes(format as AsnDatasetFormat)) throw new UsageError(`--format takes ${ASN_DATASET_FORMATS.join(', ')}, not "${format}".`);
  return { url: values.get('--url') ?? DEFAULT_OWNERSHIP_URL, format: format as AsnDatasetFormat };
}

/** The command that imports a snapshot: its files are data, not lists, so it has options of its own. */
export const IMPORT_DATA = 'import-data';

export interface ImportDataOptions {
  readonly name: string;
  readonly format: SnapshotFormat;
  readonly date: string;
  readonly files: readonly string[];
}

/** The options of `import-data [--name NAME] [--format F] [--date YYYY-MM-DD] FILE [FILE]`, or 'help'. Throws UsageError. */
export function parseImportDataArgs(argv: readonly string[]): ImportDataOptions | 'help' {
  if (argv.includes('-h') || argv.includes('--help')) return 'help';
  const values = new Map<string, string>();
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    if (!flag.startsWith('--')) {
      files.push(argv[i]);
      continue;
    }
    if (flag !== '--name' && flag !== '--format' && flag !== '--date') throw new UsageError(`"${IMPORT_DATA}" takes --name, --format and --date only, not "${argv[i]}".`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new UsageError(`${flag} needs a value.`);
    values.set(flag, value);
  }
  if (files.length === 0 || files.length > 2) throw new UsageError(`"${IMPORT_DATA}" takes one file per family: one or two files.`);
  const format = values.get('--format') ?? snapshotFormatOf(files[0]) ?? '';
  if (!SNAPSHOT_FORMATS.includes(format as SnapshotFormat)) {
    throw new UsageError(`--format takes ${SNAPSHOT_FORMATS.join(', ')}${values.has('--format') ? `, not "${format}"` : ': the file name does not tell'}.`);
  }
  const date = values.get('--date') ?? dayInFileName(files[0]);
  if (date === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(date))
    throw new UsageError(`--date takes the day the data describes, YYYY-MM-DD${date === undefined ? ': the file name has none' : `, not "${date}"`}.`);
  const name = values.get('--name') ?? date;
  const invalid = invalidSnapshotName(name);
  if (invalid) throw new UsageError(invalid);
  return { name, format: format as SnapshotFormat, date, files };
}
