/**
 * Random setting values sent as configuration: every `blocklist.*` setting
 * missing, valid or wrong (other types, fractions, negatives, huge numbers,
 * strings, nested objects). The server logs no error, answers within ten
 * times the budget, and findings still come: an unreadable line's always
 * (unless a valid severity turns its code off), an overbroad entry's when
 * the thresholds that apply say so.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { FINDING_CODES } from '../../server/src/core/analysis/findingCodes';
import { DEFAULT_AUDIT_OPTIONS } from '../../server/src/core/analysis/options';
import { check, SEED } from './property';
import { FuzzServer } from './server';

/** Line 0 is unreadable, line 1 a /12 (overbroad by default, and Google Cloud's), line 3 a duplicate. */
const DOCUMENT = 'not-an-address\n35.192.0.0/12\n5.5.5.5\n5.5.5.5\n';
const BROAD_PREFIX = 12;

/** Anything JSON can carry, and the numbers settings trip on. */
const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, '', '16', 'auto', 'off', 'error', -1, 0, -0, 1.5, 2.7, 1e308, -1e308, 2 ** 53 + 1, Number.MAX_SAFE_INTEGER),
  fc.string({ maxLength: 8 }),
  fc.integer({ min: -1000, max: 1000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.array(fc.oneof(fc.string({ maxLength: 6 }), fc.nat()), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.oneof(fc.string({ maxLength: 4 }), fc.nat()), { maxKeys: 2 }),
);

/** A threshold pair (warning, error) of one family: integers in either order, or junk. */
const thresholds = (bits: number) => fc.tuple(fc.oneof({ weight: 3, arbitrary: fc.nat(bits) }, junk), fc.oneof({ weight: 3, arbitrary: fc.nat(bits) }, junk));

const SEVERITY_VALUES = ['error', 'warning', 'information', 'hint', 'off'];
const severity = fc.oneof(junk, fc.dictionary(fc.constantFrom(...FINDING_CODES, 'nope'), fc.oneof(fc.constantFrom(...SEVERITY_VALUES), junk), { maxKeys: 5 }));
/** maxProblems: an integer, or junk (fractions included). */
const maxProblems = fc.oneof(fc.integer({ min: 1, max: 5000 }), junk);
const specs = fc.oneof(
  junk,
  fc.array(fc.oneof(fc.constantFrom('AS13335', 'cloudflare', 'telegram', '35.192.0.0/12', '::/0', 'AS', 'x'), fc.string({ maxLength: 6 })), { maxLength: 4 }),
);

/** The `blocklist` section, each setting present or not. */
const settings = fc.record(
  {
    format: fc.oneof(junk, fc.constantFrom('auto', 'plain', 'NGINX', 'ngnix')),
    severity,
    overbroad: fc.oneof(junk, {
      weight: 3,
      arbitrary: fc.tuple(thresholds(32), thresholds(128)).map(([[ipv4Warning, ipv4Error], [ipv6Warning, ipv6Error]]) => ({ ipv4Warning, ipv4Error, ipv6Warning, ipv6Error })),
    }),
    maxProblems,
    detectInPlainText: junk,
    networks: fc.oneof(
      junk,
      fc.record({ minimumAddresses: junk, severity: fc.oneof(junk, fc.dictionary(fc.constantFrom('cloud', 'cdn', 'x'), junk)), maxOrganisations: junk }, { requiredKeys: [] }),
    ),
    protected: specs,
    target: specs,
    fixes: fc.oneof(junk, fc.record({ maxEntries: junk }, { requiredKeys: [] })),
    feeds: fc.oneof(junk, fc.record({ custom: fc.oneof(junk, fc.array(fc.record({ id: junk, url: junk, format: junk }))), official: junk }, { requiredKeys: [] })),
  },
  { requiredKeys: [] },
);

function isInteger(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** A setting read from the section by its path, as the server reads it. */
function read(section: Record<string, unknown>, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((value, key) => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined), section);
}

/** The severity a valid setting gives `code`, if any. */
function severityOf(section: Record<string, unknown>, code: string): unknown {
  const value = read(section, `severity.${code}`);
  return typeof value === 'string' && SEVERITY_VALUES.includes(value) ? value : undefined;
}

let server: FuzzServer;
let cases = 0;

before(async () => {
  server = await FuzzServer.start(true);
});

after(() => server.stop());

test(`fuzz: random setting values crash nothing, and findings still come (FUZZ_SEED=${SEED})`, { timeout: 600_000 }, () =>
  check(
    fc.asyncProperty(settings, async (section) => {
      const client = server.client;
      client.settings = section;
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
      const uri = `file:///settings/${++cases}/list.txt`;
      await client.open(uri, DOCUMENT);
      try {
        const diagnostics: Diagnostic[] = await server.ask('diagnostics', client.pullDiagnostics(uri));
        const range = { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } };
        await server.ask<CodeAction[]>('code actions', client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics } }));
        await server.ask('hover', client.hover(uri, 1, 3));
        server.assertNoErrors();
        // A reach diagnostic stands for its components.
        const codes = diagnostics.flatMap((d) => [d.code, ...((d.data as { codes?: string[] } | undefined)?.codes ?? [])]);
        if (severityOf(section, 'invalid-entry') !== 'off') assert.ok(codes.includes('invalid-entry'), `no finding on the unreadable line: ${JSON.stringify(codes)}`);
        // With an integer cap of ten or more, and thresholds that are integers in range (else their defaults), the /12 is overbroad past either.
        const cap = read(section, 'maxProblems');
        const threshold = (name: 'ipv4Warning' | 'ipv4Error') => {
          const value = read(section, `overbroad.${name}`);
          return isInteger(value, 0, 32) ? value : DEFAULT_AUDIT_OPTIONS.overbroad[name];
        };
        if (severityOf(section, 'overbroad') !== 'off' && (cap === undefined || isInteger(cap, 10, Infinity))) {
          const broad = Math.max(threshold('ipv4Warning'), threshold('ipv4Error')) > BROAD_PREFIX;
          assert.equal(codes.includes('overbroad'), broad, `the /${BROAD_PREFIX} is ${broad ? '' : 'not '}past a threshold: ${JSON.stringify(codes)}`);
        }
      } finally {
        await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
      }
    }),
    50,
  ),
);
