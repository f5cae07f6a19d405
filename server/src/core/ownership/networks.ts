/** The network data the audit uses: the ASN index, the providers' ranges, and resolved network lists. */
import { AsnIndex } from './asnIndex';
import { FeedIndex } from './feeds/feedIndex';
import { resolveSpecs, type ResolvedSpecs } from './addressSpec';
import { ProviderMap } from './providerMap';

/** Enough for the protected networks, the targets of the open files, the providers the fixes exclude, and a target being typed. */
const RESOLVED_KEPT = 64;

export class Networks {
  readonly providers: ProviderMap;
  /** The providers' own feeds, for service and region detail; empty until they are downloaded. */
  feeds = new FeedIndex([]);
  /** Resolved specs by their text, least recently used first: keyed by what users type, so bounded. */
  private readonly resolved = new Map<string, ResolvedSpecs>();

  constructor(readonly index: AsnIndex) {
    this.providers = new ProviderMap(index);
  }

  static fromBytes(bytes: Uint8Array): Networks {
    return new Networks(AsnIndex.fromBytes(bytes));
  }

  /** `resolveSpecs`, remembered: settings and directives repeat on every edit. */
  resolve(specs: readonly string[]): ResolvedSpecs {
    const key = specs.join('\n');
    const result = this.resolved.get(key) ?? resolveSpecs(specs, this.index);
    // Re-inserted, it becomes the most recently used; typing a target line makes a new key per keystroke.
    this.resolved.delete(key);
    this.resolved.set(key, result);
    if (this.resolved.size > RESOLVED_KEPT) this.resolved.delete(this.resolved.keys().next().value!);
    return result;
  }
}
