/** Command-line parsing for `blocklist-audit`: `COMMAND [options] FILE…`. */

export const USAGE = `Usage: blocklist-audit COMMAND [options] FILE…

Commands:
  count FILE…           unique addresses per family and entries read
  merge FILE…           the union as the minimal CIDR list (IPv4, then IPv6)
  ranges FILE…          the union as start-end ranges
  common FILE…          addresses in every file, as CIDRs
  except FILE MINUS…    addresses of FILE in none of the others, as CIDRs
  compare FILE…         entries, addresses and common addresses of each pair, as CSV

Options:
  --json      machine-readable output (count)
  --strict    exit with status 1 if any line is invalid
  --profile   print phase timings (ms) as JSON on stderr
  -h, --help  this text

FILE may be "-" for standard input. Invalid lines are reported on stderr as
FILE:LINE:COL: message and skipped.`;

export const COMMANDS = ['count', 'merge', 'ranges', 'common', 'except', 'compare'] as const;
export type Command = (typeof COMMANDS)[number];

export interface Options {
  readonly command: Command;
  readonly files: readonly string[];
  readonly json: boolean;
  readonly strict: boolean;
  readonly profile: boolean;
}

/** A mistake in how the tool was called: exit status 2 with the message and a pointer to --help. */
export class UsageError extends Error {}

const MINIMUM_FILES: Record<Command, number> = { count: 1, merge: 1, ranges: 1, common: 2, except: 2, compare: 2 };

/** Returns the options, or 'help' when help was asked for. Throws UsageError. */
export function parseArgs(argv: readonly string[]): Options | 'help' {
  if (argv.length === 0 || argv.includes('-h') || argv.includes('--help')) return 'help';
  const [name, ...rest] = argv;
  const command = COMMANDS.find((c) => c === name);
  if (!command) throw new UsageError(`Unknown command "${name}". Commands: ${COMMANDS.join(', ')}.`);
  const flags = new Set<string>();
  const files: string[] = [];
  for (const arg of rest) {
    if (arg.startsWith('--')) {
      if (!['--json', '--strict', '--profile'].includes(arg)) throw new UsageError(`Unknown option "${arg}".`);
      flags.add(arg);
    } else files.push(arg);
  }
  if (files.length < MINIMUM_FILES[command]) {
    const needed = MINIMUM_FILES[command] === 1 ? 'a file' : `at least ${MINIMUM_FILES[command]} files`;
    throw new UsageError(`"${command}" needs ${needed} ("-" reads standard input).`);
  }
  return { command, files, json: flags.has('--json'), strict: flags.has('--strict'), profile: flags.has('--profile') };
}
