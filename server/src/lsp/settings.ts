/**
 * Settings read per resource from the client (`blocklist.*`), cached as
 * promises per document and dropped when the configuration changes, as in
 * the lsp-sample. Every value is checked: one of the wrong type or out of
 * range takes its default (overbroad thresholds out of order take the
 * narrower one), and the output channel says once which setting, what value
 * and what is used instead.
 */
import { DEFAULT_INDEX_SETTINGS, type IndexSettings } from './workspaceIndex';
import type { Connection } from 'vscode-languageserver';
import { FINDING_CODES, FINDING_RULES, type FindingCode, type Severity } from '../core/analysis/findingCodes';
import { DEFAULT_AUDIT_OPTIONS, MAX_ORGANISATIONS_LIMIT, type AuditOptions, type ReadWith } from '../core/analysis/options';
import { DEFAULT_MAX_FIX_ENTRIES, type FixOptions } from '../core/fixes/fixes';
import type { FormatId } from '../core/formats/format';
import { FORMATS } from '../core/formats/registry';
import { DEFAULT_MAX_DATA_AGE_DAYS } from '../core/ownership/dataAbout';
import type { NamedNetworks } from '../core/ownership/addressSpec';
import type { ProviderCategory } from '../core/ownership/providers';

export interface Settings {
  /** 'auto' detects the format from the file name and content. */
  readonly format: FormatId | 'auto';
  readonly audit: AuditOptions;
  readonly fixes: FixOptions;
  /** Ownership data older than this many days is said to be out of date (in the status bar and the report). */
  readonly maxDataAgeDays: number;
  /** The ownership snapshot to audit with where a file names none ('': the data in use). */
  readonly ownershipSnapshot: string;
  /** The counts shown at the end of large entries; `minimumAddresses` is the smallest entry that gets one. */
  readonly inlayHints: { readonly enabled: boolean; readonly minimumAddresses: number };
  /** Which files of the open folders the workspace index reads. */
  readonly workspace: IndexSettings;
}

/** The whole-number settings and their ranges; package.json's minimum and maximum say the same (a test holds them equal). */
export const INTEGER_RANGES = {
  'overbroad.ipv4Warning': [0, 32],
  'overbroad.ipv4Error': [0, 32],
  'overbroad.ipv6Warning': [0, 128],
  'overbroad.ipv6Error': [0, 128],
  maxProblems: [1, Number.MAX_SAFE_INTEGER],
  'fixes.maxEntries': [1, Number.MAX_SAFE_INTEGER],
  'networks.minimumAddresses': [1, Number.MAX_SAFE_INTEGER],
  'networks.maxOrganisations': [1, MAX_ORGANISATIONS_LIMIT],
  'ownership.maxAgeDays': [1, Number.MAX_SAFE_INTEGER],
  'inlayHints.minimumAddresses': [1, Number.MAX_SAFE_INTEGER],
} as const satisfies Record<string, readonly [number, number]>;

/** Entries of more than 256 addresses (a /24) get a count inline by default. */
const DEFAULT_INLAY_HINT_MINIMUM = 257;

type IntegerSetting = keyof typeof INTEGER_RANGES;

export class SettingsCache {
  private readonly cache = new Map<string, Promise<Settings>>();
  private allowlisted: readonly NamedNetworks[] = [];
  private readWith: (uri: string) => Promise<ReadWith> = () => Promise.resolve({});
  /** What was said about replaced values since the configuration last changed: every document reads the same values. */
  private readonly said = new Set<string>();

  constructor(
    private readonly connection: Connection,
    private readonly supported: boolean,
  ) {}

  get(uri: string): Promise<Settings> {
    let settings = this.cache.get(uri);
    if (!settings) {
      const read = this.supported
        ? this.connection.workspace.getConfiguration({ scopeUri: uri, section: 'blocklist' }).then(
            (raw: unknown) => toSettings(raw, (message) => this.warn(message)),
            () => DEFAULT_SETTINGS,
          )
        : Promise.resolve(DEFAULT_SETTINGS);
      const besides = this.readWith;
      settings = read.then(async (base) => withReadWith(withAllowlisted(base, this.allowlisted, uri), await besides(uri).catch(() => ({}))));
      this.cache.set(uri, settings);
    }
    return settings;
  }

  /** The entries of the workspace's allowlists from now on: protected in every other list, removed by the exclusion fix. */
  useAllowlisted(listed: readonly NamedNetworks[]): void {
    this.allowlisted = listed;
    this.cache.clear();
  }

  /** What each document is read with besides its text (the hosts.allow beside a hosts.deny, the lists before it in its groups), from now on. */
  useReadWith(readWith: (uri: string) => Promise<ReadWith>): void {
    this.readWith = readWith;
    this.cache.clear();
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }

  clear(): void {
    this.cache.clear();
    this.said.clear();
  }

  /** Says `message` in the output channel, once until the configuration changes. */
  warn(message: string): void {
    if (this.said.has(message)) return;
    this.said.add(message);
    this.connection.console.warn(message);
  }
}

const SEVERITIES: readonly (Severity | 'off')[] = ['error', 'warning', 'information', 'hint', 'off'];
const FORMAT_IDS: readonly (FormatId | 'auto')[] = ['auto', ...FORMATS.map((format) => format.id)];
const CATEGORIES = Object.keys(DEFAULT_AUDIT_OPTIONS.networks.categorySeverity) as ProviderCategory[];

/**
 * What the client sent, checked: a missing value (or null) takes its
 * default; so does a wrong one, and `replaced` is told which, what it was and
 * what is used instead.
 */
export function toSettings(raw: unknown, replaced: (message: string) => void = () => undefined): Settings {
  const read = new SettingsReader(raw, replaced);
  const defaults = DEFAULT_AUDIT_OPTIONS;
  const ipv4 = read.thresholds(4, read.integer('overbroad.ipv4Warning', defaults.overbroad.ipv4Warning), read.integer('overbroad.ipv4Error', defaults.overbroad.ipv4Error));
  const ipv6 = read.thresholds(6, read.integer('overbroad.ipv6Warning', defaults.overbroad.ipv6Warning), read.integer('overbroad.ipv6Error', defaults.overbroad.ipv6Error));
  const networks = {
    minimumAddresses: read.integer('networks.minimumAddresses', defaults.networks.minimumAddresses),
    categorySeverity: read.severities('networks.severity', CATEGORIES, defaults.networks.categorySeverity),
    maxOrganisations: read.integer('networks.maxOrganisations', defaults.networks.maxOrganisations),
    protected: read.strings('protected', defaults.networks.protected),
    target: read.strings('target', defaults.networks.target),
  };
  return {
    format: read.oneOf('format', FORMAT_IDS, 'auto'),
    fixes: { maxEntries: read.integer('fixes.maxEntries', DEFAULT_MAX_FIX_ENTRIES), protected: networks.protected, target: networks.target },
    audit: {
      severity: read.severities<FindingCode, Partial<Record<FindingCode, Severity | 'off'>>>('severity', FINDING_CODES, {}),
      overbroad: { ipv4Warning: ipv4[0], ipv4Error: ipv4[1], ipv6Warning: ipv6[0], ipv6Error: ipv6[1] },
      maxFindings: read.integer('maxProblems', defaults.maxFindings),
      networks,
    },
    maxDataAgeDays: read.integer('ownership.maxAgeDays', DEFAULT_MAX_DATA_AGE_DAYS),
    ownershipSnapshot: read.text('ownershipData.snapshot', ''),
    inlayHints: { enabled: read.boolean('inlayHints.enabled', true), minimumAddresses: read.integer('inlayHints.minimumAddresses', DEFAULT_INLAY_HINT_MINIMUM) },
    workspace: {
      include: read.strings('workspace.include', DEFAULT_INDEX_SETTINGS.include),
      exclude: read.strings('workspace.exclude', DEFAULT_INDEX_SETTINGS.exclude),
      allowlists: read.strings('allowlists', DEFAULT_INDEX_SETTINGS.allowlists),
      groups: read.groups('groups', DEFAULT_INDEX_SETTINGS.groups),
    },
  };
}

/** Reads settings by their name under `blocklist.`, each checked; a section that is no object counts as missing, said once. */
class SettingsReader {
  private readonly badSections = new Set<string>();

  constructor(
    private readonly raw: unknown,
    private readonly replaced: (message: string) => void,
  ) {}

  integer(name: IntegerSetting, fallback: number): number {
    const value = this.value(name);
    const [min, max] = INTEGER_RANGES[name];
    if (value === undefined || (Number.isInteger(value) && (value as number) >= min && (value as number) <= max)) return (value as number | undefined) ?? fallback;
    const range = max === Number.MAX_SAFE_INTEGER ? `${min} or more` : `from ${min} to ${max}`;
    return this.replace(name, value, `a whole number ${range}`, fallback);
  }

  /**
   * The overbroad prefix lengths of a family: an error threshold narrower
   * than the warning one would leave the entries between them without any
   * finding, so the warning takes the error's and all of them are errors.
   */
  thresholds(version: 4 | 6, warning: number, error: number): [warning: number, error: number] {
    if (error <= warning) return [warning, error];
    this.replaced(
      `Setting blocklist.overbroad.ipv${version}Warning: ${warning} is broader than blocklist.overbroad.ipv${version}Error (${error}), which would leave the entries between them ` +
        `without a finding; using ${error} instead: every IPv${version} entry larger than a /${error} is an error.`,
    );
    return [error, error];
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.value(name);
    if (value === undefined || typeof value === 'boolean') return (value as boolean | undefined) ?? fallback;
    return this.replace(name, value, 'true or false', fallback);
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.value(name);
    if (value === undefined || allowed.includes(value as T)) return (value as T | undefined) ?? fallback;
    return this.replace(name, value, `one of ${allowed.join(', ')}`, fallback);
  }

  text(name: string, fallback: string): string {
    const value = this.value(name);
    if (value === undefined || typeof value === 'string') return (value as string | undefined) ?? fallback;
    return this.replace(name, value, 'a string', fallback);
  }

  strings(name: string, fallback: readonly string[]): readonly string[] {
    const value = this.value(name);
    if (value === undefined || (Array.isArray(value) && value.every((item) => typeof item === 'string'))) return (value as string[] | undefined) ?? fallback;
    const shown = fallback.length > 3 ? `${JSON.stringify(fallback.slice(0, 3)).slice(0, -1)},…] (${fallback.length} in all)` : show(fallback);
    return this.replace(name, value, 'a list of strings', fallback, shown);
  }

  /** Lists of strings, each holding one at least (`blocklist.groups`). */
  groups(name: string, fallback: readonly (readonly string[])[]): readonly (readonly string[])[] {
    const value = this.value(name);
    const group = (item: unknown) => Array.isArray(item) && item.length > 0 && item.every((glob) => typeof glob === 'string');
    if (value === undefined || (Array.isArray(value) && value.every(group))) return (value as string[][] | undefined) ?? fallback;
    return this.replace(name, value, 'a list of groups, each a list of globs in load order such as ["feeds/*.netset", "local.txt"]', fallback);
  }

  /** A severity per key of `keys` (finding codes, provider categories); a key left out, or given a wrong severity, keeps the fallback's. */
  severities<K extends string, F extends Partial<Record<K, Severity | 'off'>>>(name: string, keys: readonly K[], fallback: F): F {
    const result = { ...fallback };
    const value = this.value(name);
    if (value === undefined) return result;
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return this.replace(name, value, `an object of severities such as { "${keys[0]}": "error" }`, result, 'the defaults');
    for (const [key, severity] of Object.entries(value)) {
      const known = keys.includes(key as K);
      if (known && SEVERITIES.includes(severity as Severity | 'off')) (result as Partial<Record<K, Severity | 'off'>>)[key as K] = severity as Severity | 'off';
      else if (!known) this.replaced(`Setting blocklist.${name}: ${show(key)} is none of ${keys.join(', ')}; it is left out.`);
      else this.replace(`${name}.${key}`, severity, `one of ${SEVERITIES.join(', ')}`, undefined, defaultSeverity(key, fallback));
    }
    return result;
  }

  /** The value at `name` (`overbroad.ipv4Warning`) in what the client sent; undefined when missing or null. */
  private value(name: string): unknown {
    let value = this.raw;
    const path = name.split('.');
    for (let n = 0; n < path.length && value !== undefined && value !== null; n++) {
      if (typeof value !== 'object' || Array.isArray(value)) {
        const section = path.slice(0, n).join('.');
        if (!this.badSections.has(section)) this.replace(section, value, 'an object of settings', undefined, 'the defaults');
        this.badSections.add(section);
        return undefined;
      }
      value = (value as Record<string, unknown>)[path[n]];
    }
    return value ?? undefined;
  }

  /** Says that `name` (a path under `blocklist`, '' for the section itself) was `value`, not `expected`, and gives `fallback`. */
  private replace<T>(name: string, value: unknown, expected: string, fallback: T, shown = show(fallback)): T {
    this.replaced(`Setting ${['blocklist', name].filter(Boolean).join('.')}: ${show(value)} is not ${expected}; using ${shown} instead.`);
    return fallback;
  }
}

/** The severity a code or category has when its setting says nothing. */
function defaultSeverity(key: string, fallback: Readonly<Record<string, string | undefined>>): string {
  return `its default (${fallback[key] ?? FINDING_RULES[key as FindingCode].severity})`;
}

/** A value as the settings file writes it, cut short. */
function show(value: unknown): string {
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 80 ? `${json.slice(0, 79)}…` : json;
}

/** `settings` with the allowlists' entries protected, but for those of the document `uri` itself (an allowlist protects others). */
function withAllowlisted(settings: Settings, listed: readonly NamedNetworks[], uri: string): Settings {
  const allowlisted = listed.filter((network) => network.origin?.file !== uri);
  if (allowlisted.length === 0) return settings;
  return { ...settings, audit: { ...settings.audit, networks: { ...settings.audit.networks, allowlisted } }, fixes: { ...settings.fixes, allowlisted } };
}

/** `settings` with what the document is read with, if anything. */
function withReadWith(settings: Settings, readWith: ReadWith): Settings {
  if (!readWith.hostsAllow && !readWith.earlierLists) return settings;
  return { ...settings, audit: { ...settings.audit, ...readWith } };
}

/** What applies where the client sends no settings (read after the reader's class is defined). */
export const DEFAULT_SETTINGS: Settings = toSettings({});
