/**
 * One fact, one place: the settings package.json contributes (for the
 * settings UI) must say what the core and the server apply, types and
 * ranges included; the finding codes must be the registry's; every Fix all
 * code must have a safe repair. Then what the server makes of every wrong
 * value: its default (or, for overbroad thresholds out of order, the
 * narrower one), and one message naming the setting, the value and what is
 * used instead.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { FINDING_CODES, FINDING_RULES } from '../server/src/core/analysis/findingCodes';
import { MAX_ORGANISATIONS_LIMIT } from '../server/src/core/analysis/options';
import { FORMATS } from '../server/src/core/formats/registry';
import { DEFAULT_SETTINGS, INTEGER_RANGES, toSettings, type Settings } from '../server/src/lsp/settings';

interface Property {
  readonly type?: string;
  readonly default?: unknown;
  readonly minimum?: number;
  readonly enum?: readonly string[];
  readonly maximum?: number;
  readonly propertyNames?: { readonly enum: readonly string[] };
}

const manifest = JSON.parse(readFileSync(resolve(__dirname, '..', '..', 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, Property> } };
};
const properties = manifest.contributes.configuration.properties;
const property = (name: string): Property => {
  const found = properties[`blocklist.${name}`];
  assert.ok(found, `package.json contributes no setting blocklist.${name}`);
  return found;
};

test('the severity setting names exactly the registry codes, in its order', () => {
  assert.deepEqual(property('severity').propertyNames?.enum, FINDING_CODES);
});

test('the format setting offers auto and every format', () => {
  assert.deepEqual(property('format').enum, ['auto', ...FORMATS.map((format) => format.id)]);
  assert.equal(property('format').default, DEFAULT_SETTINGS.format);
});

test("package.json's defaults are the ones the server applies when the client sends none", () => {
  const audit = DEFAULT_SETTINGS.audit;
  const expected: Record<string, unknown> = {
    severity: audit.severity,
    'overbroad.ipv4Warning': audit.overbroad.ipv4Warning,
    'overbroad.ipv4Error': audit.overbroad.ipv4Error,
    'overbroad.ipv6Warning': audit.overbroad.ipv6Warning,
    'overbroad.ipv6Error': audit.overbroad.ipv6Error,
    maxProblems: audit.maxFindings,
    'networks.minimumAddresses': audit.networks.minimumAddresses,
    'networks.severity': audit.networks.categorySeverity,
    'networks.maxOrganisations': audit.networks.maxOrganisations,
    protected: audit.networks.protected,
    target: audit.networks.target,
    'fixes.maxEntries': DEFAULT_SETTINGS.fixes.maxEntries,
    'ownership.maxAgeDays': DEFAULT_SETTINGS.maxDataAgeDays,
    'ownershipData.snapshot': DEFAULT_SETTINGS.ownershipSnapshot,
    'inlayHints.enabled': DEFAULT_SETTINGS.inlayHints.enabled,
    'inlayHints.minimumAddresses': DEFAULT_SETTINGS.inlayHints.minimumAddresses,
    'workspace.include': DEFAULT_SETTINGS.workspace.include,
    'workspace.exclude': DEFAULT_SETTINGS.workspace.exclude,
    allowlists: DEFAULT_SETTINGS.workspace.allowlists,
    groups: DEFAULT_SETTINGS.workspace.groups,
  };
  for (const [name, value] of Object.entries(expected)) assert.deepEqual(property(name).default, value, `blocklist.${name}`);
  assert.equal(property('networks.maxOrganisations').maximum, MAX_ORGANISATIONS_LIMIT);
});

test('every code Fix all may apply has a repair that keeps the set: removing an entry that adds nothing, or writing host bits as the network', () => {
  const fixAllCodes = FINDING_CODES.filter((code) => FINDING_RULES[code].fixAll);
  assert.deepEqual(
    fixAllCodes.filter((code) => !FINDING_RULES[code].unnecessary && code !== 'host-bits-set'),
    [],
  );
  assert.deepEqual(fixAllCodes, ['host-bits-set', 'duplicate', 'covered']);
});

/** The settings read from `raw`, and what the output channel is told. */
function read(raw: unknown): { settings: Settings; messages: string[] } {
  const messages: string[] = [];
  return { settings: toSettings(raw, (message) => messages.push(message)), messages };
}

const defaults = DEFAULT_SETTINGS.audit;

// oxfmt-ignore
const replacements: [raw: unknown, what: (settings: Settings) => unknown, expected: unknown, messages: string[]][] = [
  [{ maxProblems: 0.5 }, (s) => s.audit.maxFindings, 1000, ['Setting blocklist.maxProblems: 0.5 is not a whole number 1 or more; using 1000 instead.']],
  [{ maxProblems: 0 }, (s) => s.audit.maxFindings, 1000, ['Setting blocklist.maxProblems: 0 is not a whole number 1 or more; using 1000 instead.']],
  [{ maxProblems: '50' }, (s) => s.audit.maxFindings, 1000, ['Setting blocklist.maxProblems: "50" is not a whole number 1 or more; using 1000 instead.']],
  [{ maxProblems: 1e300 }, (s) => s.audit.maxFindings, 1000, ['Setting blocklist.maxProblems: 1e+300 is not a whole number 1 or more; using 1000 instead.']],
  [{ maxProblems: 50 }, (s) => s.audit.maxFindings, 50, []],
  [{ groups: [['feeds/*.netset', 'local.txt']] }, (s) => s.workspace.groups, [['feeds/*.netset', 'local.txt']], []],
  [{ groups: ['feeds/*.netset', 'local.txt'] }, (s) => s.workspace.groups, [], [
    'Setting blocklist.groups: ["feeds/*.netset","local.txt"] is not a list of groups, each a list of globs in load order such as ["feeds/*.netset", "local.txt"]; using [] instead.',
  ]],
  [{ groups: [[]] }, (s) => s.workspace.groups, [], ['Setting blocklist.groups: [[]] is not a list of groups, each a list of globs in load order such as ["feeds/*.netset", "local.txt"]; using [] instead.']],
  [{ overbroad: { ipv4Warning: 12.5 } }, (s) => s.audit.overbroad.ipv4Warning, 16, ['Setting blocklist.overbroad.ipv4Warning: 12.5 is not a whole number from 0 to 32; using 16 instead.']],
  [{ overbroad: { ipv6Error: 129 } }, (s) => s.audit.overbroad.ipv6Error, 16, ['Setting blocklist.overbroad.ipv6Error: 129 is not a whole number from 0 to 128; using 16 instead.']],
  [{ overbroad: { ipv4Warning: 16, ipv4Error: 24 } }, (s) => s.audit.overbroad, { ...defaults.overbroad, ipv4Warning: 24, ipv4Error: 24 }, [
    'Setting blocklist.overbroad.ipv4Warning: 16 is broader than blocklist.overbroad.ipv4Error (24), which would leave the entries between them without a finding; using 24 instead: every IPv4 entry larger than a /24 is an error.',
  ]],
  [{ overbroad: { ipv6Warning: 40, ipv6Error: 48 } }, (s) => [s.audit.overbroad.ipv6Warning, s.audit.overbroad.ipv6Error], [48, 48], [
    'Setting blocklist.overbroad.ipv6Warning: 40 is broader than blocklist.overbroad.ipv6Error (48), which would leave the entries between them without a finding; using 48 instead: every IPv6 entry larger than a /48 is an error.',
  ]],
  [{ overbroad: { ipv4Warning: 8, ipv4Error: 8 } }, (s) => s.audit.overbroad.ipv4Warning, 8, []],
  [{ overbroad: 5 }, (s) => s.audit.overbroad, defaults.overbroad, ['Setting blocklist.overbroad: 5 is not an object of settings; using the defaults instead.']],
  [{ networks: { maxOrganisations: 0 } }, (s) => s.audit.networks.maxOrganisations, 3, ['Setting blocklist.networks.maxOrganisations: 0 is not a whole number from 1 to 62; using 3 instead.']],
  [{ networks: { maxOrganisations: 63 } }, (s) => s.audit.networks.maxOrganisations, 3, ['Setting blocklist.networks.maxOrganisations: 63 is not a whole number from 1 to 62; using 3 instead.']],
  [{ networks: { minimumAddresses: -1 } }, (s) => s.audit.networks.minimumAddresses, 256, ['Setting blocklist.networks.minimumAddresses: -1 is not a whole number 1 or more; using 256 instead.']],
  [{ fixes: { maxEntries: 0 } }, (s) => s.fixes.maxEntries, 64, ['Setting blocklist.fixes.maxEntries: 0 is not a whole number 1 or more; using 64 instead.']],
  [{ ownership: { maxAgeDays: 0 } }, (s) => s.maxDataAgeDays, 90, ['Setting blocklist.ownership.maxAgeDays: 0 is not a whole number 1 or more; using 90 instead.']],
  [{ ownership: { maxAgeDays: 30.5 } }, (s) => s.maxDataAgeDays, 90, ['Setting blocklist.ownership.maxAgeDays: 30.5 is not a whole number 1 or more; using 90 instead.']],
  [{ ownership: { maxAgeDays: 365 } }, (s) => s.maxDataAgeDays, 365, []],
  [{ inlayHints: { enabled: 'no' } }, (s) => s.inlayHints.enabled, true, ['Setting blocklist.inlayHints.enabled: "no" is not true or false; using true instead.']],
  [{ inlayHints: { enabled: false } }, (s) => s.inlayHints.enabled, false, []],
  [{ inlayHints: { minimumAddresses: 0 } }, (s) => s.inlayHints.minimumAddresses, 257, ['Setting blocklist.inlayHints.minimumAddresses: 0 is not a whole number 1 or more; using 257 instead.']],
  [{ inlayHints: { minimumAddresses: 65536 } }, (s) => s.inlayHints, { enabled: true, minimumAddresses: 65536 }, []],
  [{ format: 'ngnix' }, (s) => s.format, 'auto', [`Setting blocklist.format: "ngnix" is not one of auto, ${FORMATS.map((f) => f.id).join(', ')}; using "auto" instead.`]],
  [{ format: 'nginx' }, (s) => s.format, 'nginx', []],
  [{ severity: { duplicate: 'error', nonsense: 'error', covered: 'loud' } }, (s) => s.audit.severity, { duplicate: 'error' }, [
    `Setting blocklist.severity: "nonsense" is none of ${FINDING_CODES.join(', ')}; it is left out.`,
    'Setting blocklist.severity.covered: "loud" is not one of error, warning, information, hint, off; using its default (warning) instead.',
  ]],
  [{ severity: 'error' }, (s) => s.audit.severity, {}, ['Setting blocklist.severity: "error" is not an object of severities such as { "invalid-entry": "error" }; using the defaults instead.']],
  [{ networks: { severity: { cloud: 'off', moon: 'error', cdn: 5 } } }, (s) => s.audit.networks.categorySeverity, { ...defaults.networks.categorySeverity, cloud: 'off' }, [
    'Setting blocklist.networks.severity: "moon" is none of cloud, cdn, platform, hosting, messenger; it is left out.',
    'Setting blocklist.networks.severity.cdn: 5 is not one of error, warning, information, hint, off; using its default (warning) instead.',
  ]],
  [{ protected: '8.8.8.8' }, (s) => s.audit.networks.protected, defaults.networks.protected, [
    'Setting blocklist.protected: "8.8.8.8" is not a list of strings; using ["1.1.1.1","1.0.0.1","8.8.8.8",…] (14 in all) instead.',
  ]],
  [{ target: ['AS1', 5] }, (s) => [s.audit.networks.target, s.fixes.target], [[], []], ['Setting blocklist.target: ["AS1",5] is not a list of strings; using [] instead.']],
  ['everything', (s) => s, DEFAULT_SETTINGS, ['Setting blocklist: "everything" is not an object of settings; using the defaults instead.']],
  [{ maxProblems: null, overbroad: { ipv4Warning: null }, severity: null }, (s) => s, DEFAULT_SETTINGS, []],
];

for (const [raw, what, expected, messages] of replacements) {
  test(`settings: ${JSON.stringify(raw)} reads as ${JSON.stringify(expected)}, with ${messages.length} message(s)`, () => {
    const result = read(raw);
    assert.deepEqual(what(result.settings), expected);
    assert.deepEqual(result.messages, messages);
  });
}

test('package.json gives the whole-number settings the type and the range the server checks', () => {
  for (const [name, [minimum, maximum]] of Object.entries(INTEGER_RANGES)) {
    const found = property(name);
    assert.equal(found.type, 'integer', `blocklist.${name}`);
    assert.equal(found.minimum, minimum, `blocklist.${name}`);
    assert.equal(found.maximum, maximum === Number.MAX_SAFE_INTEGER ? undefined : maximum, `blocklist.${name}`);
  }
});
