/**
 * Downloads a feed over HTTPS only: redirects are followed only to https
 * URLs, the body is capped in size, and a server that stalls is abandoned.
 * Messages show a URL as `displayUrl` does, without its secrets.
 */
import { formatCount } from '../core/primitives/formatCount';

export interface DownloadOptions {
  /** Abandon a download with no data for this long, and any download after four times this long. */
  readonly timeoutMs: number;
  readonly maxBytes: number;
  /** Extra trusted certificates (tests serve feeds from 127.0.0.1 with their own). */
  readonly ca?: string | Buffer;
  /** Cancels the download. */
  readonly signal?: AbortSignal;
}

export const DEFAULT_DOWNLOAD: DownloadOptions = { timeoutMs: 15_000, maxBytes: 32 * 1024 * 1024 };

const MAX_REDIRECTS = 3;

export class DownloadError extends Error {}

/** Query parameters whose values messages hide: names of keys, tokens, signatures and passwords (api_key, access_token, X-Amz-Signature, sig, …). */
const SECRET_PARAMETER = /key|token|secret|pass|pwd|auth|sig|credential|session/i;

/**
 * `url` as messages show it: user and password replaced by `***`, the value
 * of every query parameter named like a secret too, and no fragment.
 */
export function displayUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'an invalid URL';
  }
  const query = new URLSearchParams(parsed.search);
  for (const name of new Set(query.keys())) if (SECRET_PARAMETER.test(name)) query.set(name, '***');
  const search = query.size > 0 ? `?${query.toString()}` : '';
  return `${parsed.protocol}//${parsed.username || parsed.password ? '***@' : ''}${parsed.host}${parsed.pathname}${search}`;
}

/** The body of `url` as UTF-8 text. */
export async function download(url: string, options: DownloadOptions = DEFAULT_DOWNLOAD): Promise<string> {
  return (await downloadFile(url, options)).bytes.toString('utf8');
}

/** What a server sent for a file: its bytes, and its Last-Modified header when it gave one. */
export interface Downloaded {
  readonly bytes: Buffer;
  readonly lastModified?: string;
}

/** The body of `url` as bytes, with the server's Last-Modified. */
export async function downloadFile(url: string, options: DownloadOptions = DEFAULT_DOWNLOAD): Promise<Downloaded> {
  let current = url;
  for (let redirects = 0; ; redirects++) {
    if (!/^https:\/\//i.test(current)) throw new DownloadError(`Refusing ${displayUrl(current)}: feeds are fetched over https only.`);
    const result = await get(current, options);
    if (result.kind === 'body') return result.file;
    if (redirects === MAX_REDIRECTS) throw new DownloadError(`Too many redirects from ${displayUrl(url)}.`);
    current = new URL(result.location, current).toString();
  }
}

type Result = { kind: 'body'; file: Downloaded } | { kind: 'redirect'; location: string };

async function get(url: string, options: DownloadOptions): Promise<Result> {
  const shown = displayUrl(url);
  // Loaded on the first download: most processes never download, and loading it costs each some 9 ms.
  const https = await import('node:https');
  return new Promise((resolve, reject) => {
    const fail = (message: string) => {
      request.destroy();
      reject(new DownloadError(message));
    };
    const request = https.get(url, { ca: options.ca, headers: { 'user-agent': 'blocklist-auditor', accept: '*/*' } }, (response) => {
      const status = response.statusCode ?? 0;
      if (status >= 300 && status < 400 && response.headers.location) {
        response.resume();
        resolve({ kind: 'redirect', location: response.headers.location });
        return;
      }
      if (status !== 200) {
        response.resume();
        fail(`${shown} answered HTTP ${status}.`);
        return;
      }
      const declared = Number(response.headers['content-length'] ?? 0);
      if (declared > options.maxBytes) {
        fail(`${shown} is ${formatCount(declared)} bytes, more than the ${formatCount(options.maxBytes)} allowed.`);
        return;
      }
      const chunks: Buffer[] = [];
      let received = 0;
      response.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > options.maxBytes) fail(`${shown} sent more than the ${formatCount(options.maxBytes)} bytes allowed.`);
        else chunks.push(chunk);
      });
      response.on('end', () => {
        if (!response.complete) fail(`${shown} closed the connection before the end of the feed.`);
        else {
          const lastModified = response.headers['last-modified'];
          resolve({ kind: 'body', file: { bytes: Buffer.concat(chunks), ...(lastModified ? { lastModified } : {}) } });
        }
      });
      response.on('error', (error) => fail(`${shown}: ${error.message}`));
    });
    request.setTimeout(options.timeoutMs, () => fail(`${shown} sent nothing for ${options.timeoutMs / 1000} s.`));
    const deadline = setTimeout(() => fail(`${shown} took longer than ${(4 * options.timeoutMs) / 1000} s.`), 4 * options.timeoutMs);
    request.on('close', () => clearTimeout(deadline));
    request.on('error', (error) => fail(`${shown}: ${error.message}`));
    if (options.signal?.aborted) fail('Cancelled.');
    else options.signal?.addEventListener('abort', () => fail('Cancelled.'), { once: true });
  });
}
