/** Command-line parsing for `blocklist-audit`: `COMMAND [options] FILE…`. */
import { ASN_DATASET_FORMATS, DEFAULT_OWNERSHIP_FORMAT, DEFAULT_OWNERSHIP_URL, type AsnDatasetFormat } from '../core/ownership/asnDatasets';
import { DEFAULT_MAX_DATA_AGE_DAYS } from '../core/ownership/dataAbout';

export const USAGE = `Usage: blocklist-audit COMMAND [options] FILE…

Commands:
  check FILE…           the editor's findings: invalid entries, duplicates, overlaps, overbroad and special-purpose entries
  count FILE…           unique addresses per family and entries read, and per scope for a file with several
  merge FILE…           the union as the minimal CIDR list (IPv4, then IPv6)
  ranges FILE…          the union as start-end ranges
  common FILE…          addresses in every file, as CIDRs
  except FILE MINUS…    addresses of FILE in none of the others, as CIDRs
  compare FILE…         entries, addresses and common addresses of each pair, as CSV
  update-data           download current ownership data (who holds each address) into the cache, where check
                        uses it from then on; a failed update leaves the data in use as it was

Options:
  --input-format ID            read files as this format instead of detecting it (plain, firehol, nginx, ipset, …)
  --format text|json|sarif     output of check: text (the default) as ESLint's "stylish", each file's findings in
                               aligned rows, its totals, and the count of errors and warnings; SARIF 2.1.0 for code
                               scanning
  --fail-on error|warning|never   check exits with status 1 on findings of this severity or worse (default error)
  --max-results N              check writes at most N findings, the most severe first, and says how many it left
                               out (default: all in text and JSON; 25,000 in SARIF, GitHub code scanning's limit
                               per run); the exit status counts them all
  --max-warnings N             check exits with status 1 when there are more than N warnings, as well as by --fail-on
  --quiet                      check writes and counts errors only (the exit status still counts every finding)
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

FILE may be "-" for standard input. Invalid lines are reported on stderr as
FILE:LINE:COL: message and skipped. Each file counts as its format's firewall
decides: an ipset hash:net set or a pf table by its most specific entry
(exceptions included), nginx rules by the first match; allowlists block nothing.

check's text is in colour on a terminal, plain when piped; NO_COLOR (set, not
empty) turns colour off, FORCE_COLOR turns it on when piped (0 or false: off).

Exit status: 0 done; 1 findings reaching --fail-on (check) or invalid lines
(--strict); 2 a usage error, a file that cannot be read or output that cannot
be written; 3 an internal error (a bug: please report it with the message).
A reader that stops early (| head) ends the output quietly.`;

export const COMMANDS = ['check', 'count', 'merge', 'ranges', 'common', 'except', 'compare'] as const;
export type Command = (typeof COMMANDS)[number];

export type OutputFormat = 'text' | 'json' | 'sarif';
export type FailOn = 'error' | 'warning' | 'never';

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
  /** check warns when the ownership data is older than this many days. */
  readonly maxDataAgeDays: number;
}

/** A mistake in how the tool was called: exit status 2 with the message and a pointer to --help. */
export class UsageError extends Error {}

const MINIMUM_FILES: Record<Command, number> = { check: 1, count: 1, merge: 1, ranges: 1, common: 2, except: 2, compare: 2 };
const SWITCHES = ['--json', '--strict', '--profile', '--quiet'];
const VALUED: Record<string, readonly string[] | undefined> = {
  '--format': ['text', 'json', 'sarif'],
  '--fail-on': ['error', 'warning', 'never'],
  '--input-format': undefined, // checked against the formats by the caller
  '--scope': undefined, // checked against the files' scopes by the caller
  '--max-results': undefined, // a whole number, checked below
  '--max-warnings': undefined, // a whole number, checked below
  '--max-data-age': undefined, // a whole number, checked below
};

/** The options only `check` takes. */
const CHECK_ONLY = ['--max-results', '--max-warnings', '--quiet', '--max-data-age'];

/** Returns the options, or 'help' when help was asked for. Throws UsageError. */
export function parseArgs(argv: readonly string[]): Options | 'help' {
  if (argv.length === 0 || argv.includes('-h') || argv.includes('--help')) return 'help';
  const [name, ...rest] = argv;
  const command = COMMANDS.find((c) => c === name);
  if (!command) throw new UsageError(`Unknown command "${name}". Commands: ${[...COMMANDS, UPDATE_DATA].join(', ')}.`);
  const switches = new Set<string>();
  const values = new Map<string, string>();
  const files: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (!arg.startsWith('--')) {
      files.push(arg);
      continue;
    }
    const [flag, inline] = arg.split(/=(.*)/s, 2);
    if (SWITCHES.includes(flag) && inline === undefined) {
      switches.add(flag);
    } else if (flag in VALUED) {
      const value = inline ?? rest[++i];
      const allowed = VALUED[flag];
      if (value === undefined) throw new UsageError(`${flag} needs a value${allowed ? `: ${allowed.join(', ')}` : ''}.`);
      if (allowed && !allowed.includes(value)) throw new UsageError(`${flag} takes ${allowed.join(', ')}, not "${value}".`);
      values.set(flag, value);
    } else {
      throw new UsageError(`Unknown option "${arg}".`);
    }
  }
  if (files.length < MINIMUM_FILES[command]) {
    const needed = MINIMUM_FILES[command] === 1 ? 'a file' : `at least ${MINIMUM_FILES[command]} files`;
    throw new UsageError(`"${command}" needs ${needed} ("-" reads standard input).`);
  }
  if (command === 'check' && values.has('--scope')) throw new UsageError('--scope is for the set commands: "check" reports on every scope of each file.');
  const checkOnly = CHECK_ONLY.find((flag) => values.has(flag) || switches.has(flag));
  if (command !== 'check' && checkOnly) {
    throw new UsageError(`${checkOnly} is for "check": ${checkOnly === '--max-data-age' ? 'the other commands use no ownership data' : 'the other commands write every address'}.`);
  }
  const whole = (flag: string, what: string, minimum = 0) => {
    const value = values.get(flag);
    if (value !== undefined && !(/^\d+$/.test(value) && Number(value) >= minimum)) {
      throw new UsageError(`${flag} takes a whole number of ${what} (${minimum} or more), not "${value}".`);
    }
    return value === undefined ? undefined : Number(value);
  };
  return {
    command,
    files,
    json: switches.has('--json'),
    strict: switches.has('--strict'),
    profile: switches.has('--profile'),
    output: (values.get('--format') ?? 'text') as OutputFormat,
    failOn: (values.get('--fail-on') ?? 'error') as FailOn,
    inputFormat: values.get('--input-format'),
    scope: values.get('--scope'),
    maxResults: whole('--max-results', 'findings'),
    maxWarnings: whole('--max-warnings', 'warnings'),
    quiet: switches.has('--quiet'),
    maxDataAgeDays: whole('--max-data-age', 'days', 1) ?? DEFAULT_MAX_DATA_AGE_DAYS,
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
