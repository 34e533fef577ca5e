import type { Request } from 'express';
import type { BearerVerifier } from './bearer-auth';
import { bearerOf } from './bearer-state';
import { LoginLimiter, type LoginLimiterOptions } from './login-limiter';
import { hostnameOf, isLoopbackAddress, readCookie } from './request-checks';
import { SessionStore } from './session-store';

export const SESSION_COOKIE = 'scripthut_session';

/** Checks a submitted access token or password; never throws on a wrong secret. */
export type SecretVerifier = (secret: string) => Promise<boolean>;

export interface HttpSecurityOptions {
  /** Null: no login configured, so the server answers only to loopback host names. */
  verifier: SecretVerifier | null;
  /** Bearer tokens for tools (api-tokens.ts); null or absent: every bearer token is refused. */
  bearerVerifier?: BearerVerifier | null;
  allowedOrigins?: readonly string[];
  /** Trust one proxy hop's X-Forwarded-For/-Proto/-Host (Express `trust proxy` = 1). */
  trustProxy?: boolean;
  /** Mark the cookie Secure even when the request did not arrive over TLS. */
  secureCookies?: boolean;
  sessionIdleMs?: number;
  limiter?: LoginLimiterOptions;
  now?: () => number;
  /** Security events (logins, refusals); never given a secret. */
  log?: (message: string) => void;
}

/** The HTTP security policy of one server: who may log in, sessions, origins. */
export interface HttpSecurity {
  readonly authRequired: boolean;
  readonly verifier: SecretVerifier | null;
  readonly bearerVerifier: BearerVerifier | null;
  readonly allowedOrigins: readonly string[];
  readonly trustProxy: boolean;
  readonly secureCookies: boolean;
  readonly sessionIdleMs: number;
  readonly sessions: SessionStore;
  readonly limiter: LoginLimiter;
  readonly log: (message: string) => void;
  /** True with a live bearer token; else when no login is configured, or the request carries a live session cookie. */
  isAuthenticated(req: Request): boolean;
  /** Without a login, only requests naming a loopback host (or an allowed origin's host) are answered. */
  hostAllowed(req: Request): boolean;
}

export function createHttpSecurity(o: HttpSecurityOptions): HttpSecurity {
  const sessionIdleMs = o.sessionIdleMs ?? 12 * 3_600_000;
  const sessions = new SessionStore({ idleMs: sessionIdleMs, ...(o.now ? { now: o.now } : {}) });
  const allowedOrigins = o.allowedOrigins ?? [];
  const allowedHosts = new Set(allowedOrigins.map((origin) => new URL(origin).host));
  return {
    authRequired: o.verifier !== null,
    verifier: o.verifier,
    bearerVerifier: o.bearerVerifier ?? null,
    allowedOrigins,
    trustProxy: o.trustProxy ?? false,
    secureCookies: o.secureCookies ?? false,
    sessionIdleMs,
    sessions,
    limiter: new LoginLimiter({ ...o.limiter, ...(o.now ? { now: o.now } : {}) }),
    log: o.log ?? (() => {}),
    isAuthenticated(req) {
      const bearer = bearerOf(req);
      if (bearer !== undefined) return bearer !== null;
      return o.verifier === null || sessions.touch(readCookie(req.headers.cookie, SESSION_COOKIE));
    },
    hostAllowed(req) {
      if (o.verifier !== null) return true;
      const host = (req.host as string | undefined) ?? '';
      return isLoopbackAddress(hostnameOf(host)) || allowedHosts.has(host.toLowerCase());
    },
  };
}

/** The client address for rate limiting: the socket peer, or the proxy-reported one when trusted. */
export const clientAddress = (req: Request): string =>
  req.ip ?? req.socket.remoteAddress ?? 'unknown';
