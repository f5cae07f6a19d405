/**
 * Settings read per resource from the client (`blocklist.*`), cached as
 * promises per document and dropped when the configuration changes, as in
 * the lsp-sample.
 */
import type { Connection } from 'vscode-languageserver/node';
import type { FindingCode, Severity } from '../core/analysis/findingCodes';
import { DEFAULT_AUDIT_OPTIONS, MAX_ORGANISATIONS_LIMIT, type AuditOptions } from '../core/analysis/options';
import { DEFAULT_MAX_FIX_ENTRIES, type FixOptions } from '../core/fixes/fixes';
import type { FormatId } from '../core/formats/format';
import type { ProviderCategory } from '../core/ownership/providers';

export interface Settings {
  /** 'auto' detects the format from the file name and content. */
  readonly format: FormatId | 'auto';
  readonly audit: AuditOptions;
  readonly fixes: FixOptions;
}

/** The shape of the `blocklist` section as the client sends it; anything may be missing or wrong. */
interface RawSettings {
  format?: unknown;
  severity?: unknown;
  overbroad?: { ipv4Warning?: unknown; ipv4Error?: unknown; ipv6Warning?: unknown; ipv6Error?: unknown };
  maxProblems?: unknown;
  fixes?: { maxEntries?: unknown };
  networks?: { minimumAddresses?: unknown; severity?: unknown; maxOrganisations?: unknown };
  protected?: unknown;
  target?: unknown;
}

export class SettingsCache {
  private readonly cache = new Map<string, Promise<Settings>>();

  constructor(
    private readonly connection: Connection,
    private readonly supported: boolean,
  ) {}

  get(uri: string): Promise<Settings> {
    if (!this.supported) return Promise.resolve(DEFAULT_SETTINGS);
    let settings = this.cache.get(uri);
    if (!settings) {
      settings = this.connection.workspace.getConfiguration({ scopeUri: uri, section: 'blocklist' }).then(
        (raw: RawSettings | null) => toSettings(raw ?? {}),
        () => DEFAULT_SETTINGS,
      );
      this.cache.set(uri, settings);
    }
    return settings;
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }

  clear(): void {
    this.cache.clear();
  }
}

const SEVERITIES = new Set(['error', 'warning', 'information', 'hint', 'off']);

/** Validates what the client sent, keeping defaults for anything missing or malformed. */
export function toSettings(raw: RawSettings): Settings {
  const defaults = DEFAULT_AUDIT_OPTIONS;
  const severity: Partial<Record<FindingCode, Severity | 'off'>> = {};
  if (raw.severity && typeof raw.severity === 'object') {
    for (const [code, value] of Object.entries(raw.severity)) {
      if (typeof value === 'string' && SEVERITIES.has(value)) severity[code as FindingCode] = value as Severity | 'off';
    }
  }
  const integer = (value: unknown, fallback: number, max: number) => (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max ? value : fallback);
  const strings = (value: unknown, fallback: readonly string[]) => (Array.isArray(value) && value.every((item) => typeof item === 'string') ? (value as string[]) : fallback);
  const o = raw.overbroad ?? {};
  const n = raw.networks ?? {};
  const categorySeverity = { ...defaults.networks.categorySeverity };
  if (n.severity && typeof n.severity === 'object') {
    for (const [category, value] of Object.entries(n.severity)) {
      if (category in categorySeverity && typeof value === 'string' && SEVERITIES.has(value)) {
        categorySeverity[category as ProviderCategory] = value as Severity | 'off';
      }
    }
  }
  const networks = {
    minimumAddresses: integer(n.minimumAddresses, defaults.networks.minimumAddresses, Number.MAX_SAFE_INTEGER),
    categorySeverity,
    maxOrganisations: integer(n.maxOrganisations, defaults.networks.maxOrganisations, MAX_ORGANISATIONS_LIMIT),
    protected: strings(raw.protected, defaults.networks.protected),
    target: strings(raw.target, defaults.networks.target),
  };
  return {
    format: typeof raw.format === 'string' && raw.format.length > 0 ? (raw.format as FormatId | 'auto') : 'auto',
    fixes: { maxEntries: integer(raw.fixes?.maxEntries, DEFAULT_MAX_FIX_ENTRIES, Number.MAX_SAFE_INTEGER), protected: networks.protected, target: networks.target },
    audit: {
      severity,
      overbroad: {
        ipv4Warning: integer(o.ipv4Warning, defaults.overbroad.ipv4Warning, 32),
        ipv4Error: integer(o.ipv4Error, defaults.overbroad.ipv4Error, 32),
        ipv6Warning: integer(o.ipv6Warning, defaults.overbroad.ipv6Warning, 128),
        ipv6Error: integer(o.ipv6Error, defaults.overbroad.ipv6Error, 128),
      },
      maxFindings: typeof raw.maxProblems === 'number' && raw.maxProblems > 0 ? Math.floor(raw.maxProblems) : defaults.maxFindings,
      networks,
    },
  };
}

/** What applies where the client sends no settings. */
export const DEFAULT_SETTINGS: Settings = toSettings({});
