/** The network data the audit uses: the ASN index, the providers' ranges, and resolved network lists. */
import { AsnIndex } from './asnIndex';
import { FeedIndex } from './feeds/feedIndex';
import { resolveSpecs, type ResolvedSpecs } from './addressSpec';
import { ProviderMap } from './providerMap';

export class Networks {
  readonly providers: ProviderMap;
  /** The providers' own feeds, for service and region detail; empty until they are downloaded. */
  feeds = new FeedIndex([]);
  private readonly resolved = new Map<string, ResolvedSpecs>();

  constructor(readonly index: AsnIndex) {
    this.providers = ProviderMap.build(index);
  }

  static fromBytes(bytes: Uint8Array): Networks {
    return new Networks(AsnIndex.fromBytes(bytes));
  }

  /** `resolveSpecs`, remembered: settings and directives repeat on every edit. */
  resolve(specs: readonly string[]): ResolvedSpecs {
    const key = specs.join('\n');
    let result = this.resolved.get(key);
    if (!result) {
      result = resolveSpecs(specs, this.index);
      this.resolved.set(key, result);
    }
    return result;
  }
}
