/**
 * One fact, one place: the settings package.json contributes (for the
 * settings UI) must say what the core and the server apply; the finding
 * codes must be the registry's; every Fix all code must have a safe repair.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { FINDING_CODES, FINDING_RULES } from '../server/src/core/analysis/findingCodes';
import { MAX_ORGANISATIONS_LIMIT } from '../server/src/core/analysis/options';
import { FORMATS } from '../server/src/core/formats/registry';
import { DEFAULT_SETTINGS } from '../server/src/lsp/settings';

interface Property {
  readonly default?: unknown;
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
