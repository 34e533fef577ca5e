import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { refusedAddress } from './safe-destination';

/** Resolves a host name to every address (tests inject one). */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) => dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))));

export interface HttpPost {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** Allow loopback, private and link-local destinations. */
  allowPrivate: boolean;
  resolver?: Resolver;
}

export type HttpAnswer =
  | { kind: 'response'; status: number; headers: IncomingHttpHeaders; /** At most 2 KB. */ body: string }
  | { kind: 'timeout'; message: string }
  | { kind: 'refused'; message: string }
  | { kind: 'network'; message: string };

const MAX_ANSWER_BYTES = 2048;

class RefusedDestination extends Error {}

/**
 * One POST, never following a redirect (a 3xx is the answer). Unless
 * `allowPrivate`, every address the host resolves to is checked and the
 * connection goes to a checked one (the check and the connect use the same
 * lookup, so DNS cannot answer differently in between).
 */
export async function httpPost(o: HttpPost): Promise<HttpAnswer> {
  let url: URL;
  try {
    url = new URL(o.url);
  } catch {
    return { kind: 'refused', message: 'not a valid URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { kind: 'refused', message: `${url.protocol} URLs are not allowed` };
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!o.allowPrivate && isIP(host) !== 0) {
    const why = refusedAddress(host);
    if (why !== null) return { kind: 'refused', message: `${why} (set allow_private: true to allow it)` };
  }
  const resolver = o.resolver ?? systemResolver;
  const lookup: LookupFunction = (hostname, options, callback) => {
    resolver(hostname).then(
      (addresses) => {
        const refused = o.allowPrivate ? [] : addresses.map((a) => refusedAddress(a.address)).filter((w): w is string => w !== null);
        if (refused.length > 0) throw new RefusedDestination(`${hostname} resolves to ${refused[0]} (set allow_private: true to allow it)`);
        const family = options.family === 4 || options.family === 6 ? options.family : 0;
        const usable = addresses.filter((a) => family === 0 || a.family === family);
        if (usable.length === 0) throw new Error(`${hostname} has no address`);
        if (options.all) callback(null, usable);
        else callback(null, usable[0]!.address, usable[0]!.family);
      },
      (err: unknown) => callback(err as NodeJS.ErrnoException, ''),
    ).catch((err: unknown) => callback(err as NodeJS.ErrnoException, ''));
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<HttpAnswer>((resolve) => {
    let settled = false;
    const done = (answer: HttpAnswer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(answer);
    };
    const req = send(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(o.body)), 'user-agent': 'ScriptHut', ...o.headers },
      lookup,
    });
    const timer = setTimeout(() => {
      done({ kind: 'timeout', message: `no answer within ${o.timeoutMs} ms` });
      req.destroy();
    }, o.timeoutMs);
    req.on('error', (err) => {
      if (err instanceof RefusedDestination) done({ kind: 'refused', message: err.message });
      else done({ kind: 'network', message: err.message });
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (size < MAX_ANSWER_BYTES) chunks.push(chunk);
        size += chunk.length;
      });
      res.on('error', (err) => done({ kind: 'network', message: err.message }));
      res.on('end', () =>
        done({ kind: 'response', status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8').slice(0, MAX_ANSWER_BYTES) }),
      );
    });
    req.end(o.body);
  });
}
