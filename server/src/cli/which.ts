/**
 * `blocklist-audit which QUERY FILE…`: every entry of the files that blocks
 * any address of QUERY, with what it does under its scope's rule — the
 * question of every bug report about a blocklist ("which list, which line
 * blocks this address?"). Exit status 1 when a file blocks any of it. A
 * hosts.deny is read with the hosts.allow beside it, as check reads it.
 */
import { formatAddresses, formatAmount } from '../core/addresses/display';
import { which, type Addresses, type Match, type WhichAnswer } from '../core/analysis/which';
import { parseDocument } from '../core/document/document';
import { resolveSpecs } from '../core/ownership/addressSpec';
import { UsageError, type Options } from './args';
import { auditAll, hostsAllowBeside } from './check';
import { cliNetworks } from './networks';
import { formatOf, readText } from './input';
import { writeJson } from './jsonStream';
import { Output, writeUntilClosed } from './output';

interface FileAnswer {
  readonly file: string;
  readonly format: string;
  readonly answer: WhichAnswer;
}

export function runWhich(options: Options): number {
  const [query, ...files] = options.files;
  const networks = cliNetworks();
  const resolved = resolveSpecs([query], networks?.index);
  if (resolved.unknown.length > 0) {
    const without = networks ? '' : ' (AS numbers and providers need the ASN data, which is missing: rebuild it with "npm run build")';
    throw new UsageError(`"${query}" names no address, network, range, AS or provider${without}. Examples: 10.0.0.5, 10.0.0.0/8, 10.0.0.1-10.0.0.9, AS13335, cloudflare.`);
  }
  const asked: Addresses = { ipv4: resolved.ipv4, ipv6: resolved.ipv6 };
  const answers: FileAnswer[] = files.map((file) => {
    const text = readText(file);
    const document = parseDocument(text, formatOf(file, text, options.inputFormat));
    const hostsAllow = options.hostsAllow ? hostsAllowBeside(file, document) : undefined;
    return { file, format: document.format.id, answer: which(document, auditAll(document, networks, [], hostsAllow ? { hostsAllow } : {}), asked) };
  });
  const out = new Output();
  writeUntilClosed(out, () => {
    if (options.output === 'json') writeWhichJson(out, query, asked, answers);
    else writeWhichText(out, query, asked, answers);
  });
  return answers.some(({ answer }) => !answer.blocked.ipv4.isEmpty || !answer.blocked.ipv6.isEmpty) ? 1 : 0;
}

function writeWhichText(out: Output, query: string, asked: Addresses, answers: readonly FileAnswer[]): void {
  out.line(`${query}: ${sizes(asked)}`);
  for (const { file, format, answer } of answers) {
    out.line('');
    const blocked = answer.blocked.ipv4.isEmpty && answer.blocked.ipv6.isEmpty ? 'blocks none of it' : `blocks ${sizes(answer.blocked)}`;
    out.line(`${file} (${format}): ${blocked}`);
    for (const { scope, decided, matches, grantedFirst } of answer.scopes) {
      const verb = scope.role === 'allow' ? 'allows' : 'blocks';
      out.line(`  ${scope.label}${scope.role === 'allow' ? ' (allowlist)' : ''}: ${verb} ${decided.ipv4.isEmpty && decided.ipv6.isEmpty ? 'none of it' : sizes(decided)}`);
      if (grantedFirst) {
        const where = grantedFirst.place ? `${grantedFirst.place.file} line ${grantedFirst.place.line + 1} (${grantedFirst.place.text})` : 'hosts.allow';
        out.line(`    allowed by ${where}: it decides ${sizes(grantedFirst.addresses)} first, before hosts.deny is asked`);
      }
      for (const match of matches) out.line(`    line ${match.line + 1}: ${match.text} — ${matchText(match, grantedFirst ? 'hosts.allow or other entries' : 'other entries')}`);
    }
  }
}

/** `blocks 1 of its 256 addresses of the query` and the like, for one entry; `others` decide the rest. */
function matchText(match: Match, others: string): string {
  const family = match.version;
  const of = `of its ${formatAmount(family, match.overlap)} ${match.overlap === 1n ? 'address' : 'addresses'} in the query`;
  const decided = match.decided === 0n ? 'none' : formatAmount(family, match.decided);
  switch (match.role) {
    case 'blocks':
      return `blocks ${decided} ${of}${match.decided < match.overlap ? ` (${others} decide the rest)` : ''}`;
    case 'excepts':
      return `excepts ${decided} ${of}${match.decided < match.overlap ? ` (${others} decide the rest)` : ''}`;
    case 'lists':
      return `allows ${decided} ${of} (an allowlist: it blocks nothing)`;
    case 'conditional':
      return `matches ${formatAmount(family, match.overlap)} for some traffic only (a rule with conditions decides nothing about an address as such)`;
  }
}

/** `1 address`, `256 addresses and 1 /48 of IPv6`: both families, never summed. */
function sizes(addresses: Addresses): string {
  const parts = [];
  if (!addresses.ipv4.isEmpty) parts.push(`${formatAddresses(4, addresses.ipv4.size())} of IPv4`);
  if (!addresses.ipv6.isEmpty) parts.push(`${formatAddresses(6, addresses.ipv6.size())} of IPv6`);
  return parts.join(' and ') || 'no address';
}

function writeWhichJson(out: Output, query: string, asked: Addresses, answers: readonly FileAnswer[]): void {
  const counts = (addresses: Addresses) => ({ ipv4: addresses.ipv4.size().toString(), ipv6: addresses.ipv6.size().toString() });
  writeJson(out, {
    query,
    addresses: counts(asked),
    files: answers.map(({ file, format, answer }) => ({
      file,
      format,
      blocked: counts(answer.blocked),
      scopes: answer.scopes.map(({ scope, decided, matches, grantedFirst }) => ({
        name: scope.name,
        label: scope.label,
        role: scope.role,
        decided: counts(decided),
        ...(grantedFirst
          ? {
              grantedFirst: {
                addresses: counts(grantedFirst.addresses),
                ...(grantedFirst.place ? { file: grantedFirst.place.file, line: grantedFirst.place.line + 1, text: grantedFirst.place.text } : {}),
              },
            }
          : {}),
        matches: matches.map((m) => ({ line: m.line + 1, text: m.text, role: m.role, overlap: m.overlap.toString(), decided: m.decided.toString() })),
      })),
    })),
  });
  out.line('');
}
