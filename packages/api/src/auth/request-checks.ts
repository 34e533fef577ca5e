import { isIP } from 'node:net';

/** True for addresses only this machine can reach: 127.0.0.0/8, ::1, localhost. */
export function isLoopbackAddress(address: string): boolean {
  const a = address
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  if (a === 'localhost' || a.endsWith('.localhost')) return true;
  if (a === '::1') return true;
  const v4 = a.startsWith('::ffff:') ? a.slice(7) : a;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/** The hostname of a Host header value (`name`, `name:port`, `[v6]:port`), lower-cased. */
export function hostnameOf(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  const colon = h.lastIndexOf(':');
  return colon >= 0 && h.indexOf(':') === colon ? h.slice(0, colon) : h;
}

const clip = (s: string): string => (s.length > 100 ? `${s.slice(0, 100)}…` : s);

function originOf(value: string | undefined): string | null {
  if (value === undefined || value === '') return null;
  try {
    return new URL(value).origin;
  } catch {
    return 'invalid';
  }
}

/**
 * Why a state-changing request or a subscription is refused as possibly
 * cross-site, or null when its Origin (or, without one, its Referer) is the
 * address the server is reached by (`host`, the Host header) or an allowed origin.
 */
export function originProblem(
  headers: { origin?: string | undefined; referer?: string | undefined },
  host: string | undefined,
  allowedOrigins: readonly string[],
): string | null {
  const origin = headers.origin !== undefined ? headers.origin : originOf(headers.referer);
  if (origin === null) {
    return 'Refused: a state-changing request or subscription must carry an Origin or Referer header naming this server (browsers send one; scripts can add e.g. -H "Origin: http://127.0.0.1:8000")';
  }
  if (allowedOrigins.includes(origin)) return null;
  let originHost: string | null = null;
  try {
    originHost = origin === 'null' ? null : new URL(origin).host;
  } catch {
    originHost = null;
  }
  if (originHost !== null && host !== undefined && originHost === host.toLowerCase()) return null;
  return `Refused: the request comes from ${JSON.stringify(clip(origin))}, not from this server (${clip(host ?? 'no Host header')}); if that origin is yours, add it to settings.allowed_origins`;
}

/** The value of cookie `name` in a Cookie header, or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
