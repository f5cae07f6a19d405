/**
 * A local HTTPS server on 127.0.0.1 with a certificate of its own, serving a
 * good feed and every way a feed server can misbehave.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';

/** A file the server sends: text, bytes, or either with the Last-Modified header to send. */
export type Served = string | Uint8Array | { readonly body: string | Uint8Array; readonly lastModified: string };

export interface FeedServer {
  /** https://127.0.0.1:PORT */
  readonly base: string;
  readonly certificate: string;
  readonly certificateFile: string;
  /** A scratch directory removed by close(). */
  readonly directory: string;
  /** The most requests for `url` (path and query) that were in flight at once. */
  mostAtOnce(url: string): number;
  close(): Promise<void>;
}

/**
 * Paths: /good (the text `good()` returns), /list (a plain list), /500,
 * /to-http (redirect to plain http), /to-secret-http (to plain http with a
 * password and an api_key), /to-good (https redirect), /truncated,
 * /wrong-schema, /huge (50 MB without a length), /stall (never finishes),
 * /page (links to /good), /fault/PATH/FILE (any file answered as /PATH
 * is), and /feed/NAME: `feeds[NAME]`, sent 64 KiB at a time with a turn of
 * the event loop between, so that downloads overlap, with its Last-Modified
 * when it has one.
 */
export async function startFeedServer(good: () => string, feeds: Record<string, Served> = {}): Promise<FeedServer> {
  const directory = mkdtempSync(join(tmpdir(), 'blocklist-feeds-'));
  const certificateFile = join(directory, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-days',
      '1',
      '-keyout',
      join(directory, 'key.pem'),
      '-out',
      certificateFile,
    ],
    { stdio: 'ignore' },
  );
  const certificate = readFileSync(certificateFile, 'utf8');
  const sockets = new Set<Duplex>();
  const inFlight = new Map<string, number>();
  const mostAtOnce = new Map<string, number>();
  const server = https.createServer({ key: readFileSync(join(directory, 'key.pem')), cert: certificate }, (request, response) => {
    const port = (server.address() as AddressInfo).port;
    const url = request.url ?? '';
    const path = url.split('?')[0];
    inFlight.set(url, (inFlight.get(url) ?? 0) + 1);
    mostAtOnce.set(url, Math.max(mostAtOnce.get(url) ?? 0, inFlight.get(url) ?? 0));
    response.on('close', () => inFlight.set(url, (inFlight.get(url) ?? 1) - 1));
    const feed = path.startsWith('/feed/') ? feeds[path.slice('/feed/'.length)] : undefined;
    if (feed !== undefined) {
      const served = typeof feed === 'string' || feed instanceof Uint8Array ? { body: feed } : feed;
      if ('lastModified' in served) response.setHeader('last-modified', served.lastModified);
      const body = Buffer.from(served.body);
      let sent = 0;
      const more = () => {
        if (sent >= body.length) response.end();
        else response.write(body.subarray(sent, (sent += 1 << 16)), () => setImmediate(more));
      };
      more();
      return;
    }
    switch (/^\/fault(\/[\w-]+)\//.exec(path)?.[1] ?? path) {
      case '/good':
        response.end(good());
        break;
      case '/list':
        response.end('# a feed of our own\n192.0.2.0/24\n2001:db8::/32\n');
        break;
      case '/500':
        response.writeHead(500).end('oops');
        break;
      case '/to-http':
        response.writeHead(302, { location: `http://127.0.0.1:${port}/good` }).end();
        break;
      case '/to-secret-http':
        response.writeHead(302, { location: `http://user:SECRET@127.0.0.1:${port}/good?api_key=SECRET` }).end();
        break;
      case '/to-good':
        response.writeHead(301, { location: '/good' }).end();
        break;
      case '/truncated':
        response.end(good().slice(0, good().length / 2));
        break;
      case '/wrong-schema':
        response.end('{"values": [{"name": "x"}]}');
        break;
      case '/huge': {
        const chunk = Buffer.alloc(1 << 20, 0x20);
        let sent = 0;
        const more = () => {
          while (sent < 50 && response.write(chunk)) sent++;
          if (sent >= 50) response.end();
          else response.once('drain', more);
        };
        more();
        break;
      }
      case '/stall':
        response.writeHead(200);
        response.write('{"prefixes": [');
        break; // and never another byte
      case '/page':
        response.end(`<a href="https://127.0.0.1:${port}/good">ServiceTags</a>`);
        break;
      default:
        response.writeHead(404).end();
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  return {
    base: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    certificate,
    certificateFile,
    directory,
    mostAtOnce: (url) => mostAtOnce.get(url) ?? 0,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((done) => server.close(() => done()));
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
