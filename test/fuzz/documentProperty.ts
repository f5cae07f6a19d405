/**
 * The property of the document suite: random and adversarial documents in
 * every format, each read, audited, audited again, edited, described and
 * fixed, with the checks of checks.ts, each step announced to the hang guard.
 */
import fc from 'fast-check';
import { FINDING_CODES } from '../../server/src/core/analysis/findingCodes';
import { DEFAULT_AUDIT_OPTIONS, DEFAULT_PROTECTED, MAX_ORGANISATIONS_LIMIT, type AuditOptions } from '../../server/src/core/analysis/options';
import type { FixOptions } from '../../server/src/core/fixes/fixes';
import { detectFormat, formatById } from '../../server/src/core/formats/registry';
import type { Networks } from '../../server/src/core/ownership/networks';
import { analyse, checkDescriptions, checkEdit, checkFixes, checkFresh, type Settings } from './checks';
import { applySplice, fuzzDocument, splice, type FuzzDocument, type Splice } from './documents';
import { beginCase, beginStep } from './guard';

const SEVERITIES = ['error', 'warning', 'information', 'hint', 'off'] as const;
const SPECS = ['AS62041', 'AS13335', 'telegram', 'cloudflare', 'google-cloud', '149.154.160.0/20', '2001:67c:4e8::/48', '1.1.1.1', '10.0.0.0/8', 'x'];

/** Settings the editor could send once validated: any severities, thresholds, cap, protected networks and target. */
const options: fc.Arbitrary<{ audit: AuditOptions; fixes: FixOptions }> = fc
  .record({
    severity: fc.dictionary(fc.constantFrom(...FINDING_CODES), fc.constantFrom(...SEVERITIES), { maxKeys: 4 }),
    overbroad: fc.record({ ipv4Warning: fc.nat(32), ipv4Error: fc.nat(32), ipv6Warning: fc.nat(128), ipv6Error: fc.nat(128) }),
    maxFindings: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.constant(1000)),
    minimumAddresses: fc.oneof(fc.constant(256), fc.integer({ min: 1, max: 1 << 20 })),
    maxOrganisations: fc.integer({ min: 1, max: MAX_ORGANISATIONS_LIMIT }),
    protected: fc.oneof(fc.constant(DEFAULT_PROTECTED), fc.subarray(SPECS)),
    target: fc.oneof(fc.constant([]), fc.subarray(SPECS, { minLength: 1 })),
    maxEntries: fc.integer({ min: 1, max: 100 }),
  })
  .map((o) => ({
    audit: {
      severity: o.severity,
      overbroad: o.overbroad,
      maxFindings: o.maxFindings,
      networks: { ...DEFAULT_AUDIT_OPTIONS.networks, minimumAddresses: o.minimumAddresses, maxOrganisations: o.maxOrganisations, protected: o.protected, target: o.target },
    },
    fixes: { maxEntries: o.maxEntries, protected: o.protected, target: o.target },
  }));

/** The property, auditing with `networks` (the ASN data) when given. */
export function documentProperty(networks: Networks | undefined): fc.IPropertyWithHooks<[FuzzDocument, Splice, { audit: AuditOptions; fixes: FixOptions }]> {
  return fc.property(fuzzDocument, splice, options, (input, edit, chosen) => {
    beginCase(fc.stringify({ input, edit, chosen }));
    beginStep('detect the format');
    const format = input.format ? formatById(input.format)! : detectFormat(input.name, input.text);
    const text = input.text;
    const edited = applySplice(text, edit);
    const settings: Settings = { ...chosen, networks };
    const analysed = analyse(text, format, settings, beginStep);
    checkFresh(text, format, settings, analysed, beginStep);
    checkEdit(analysed, edited, settings, beginStep);
    checkDescriptions(analysed, settings.networks, beginStep);
    checkFixes(analysed, settings, beginStep);
  });
}
