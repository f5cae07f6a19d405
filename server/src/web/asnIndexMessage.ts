/** The first message the web client posts to the server's worker: the ASN index's bytes (transferred, not copied) and where they were read. */
export const ASN_INDEX_MESSAGE = 'blocklist/asnIndex';

export interface AsnIndexMessage {
  readonly type: typeof ASN_INDEX_MESSAGE;
  readonly bytes: Uint8Array;
  readonly location: string;
}
