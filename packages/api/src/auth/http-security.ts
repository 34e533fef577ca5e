import { SHARED_ACTOR, type Actor } from '@scripthut/core';
import type { Request } from 'express';
import type { BearerVerifier } from './bearer-auth';
import { bearerOf } from './bearer-state';
import { LoginLimiter, type LoginLimiterOptions } from './login-limiter';
import { hostnameOf, isLoopbackAddress, readCookie } from './request-checks';
import type { OidcLogin } from './oidc-login';
import { SessionStore } from './session-store';

export const SESSION_COOKIE = 'scripthut_session';

/** Checks a submitted access token or password; never throws on a wrong secret. */
export type SecretVerifier = (secret: string) => Promise<boolean>;

/** The named users (settings.auth.users): password check and who a name is now. */
export interface UserDirectory {
  /** The user `name` logs in as with `secret`, or null (unknown user, no password, wrong password). */
  verifyPassword(name: string, secret: string): Promise<Actor | null>;
  /** The configured user `name` (admin flag as configured now), or null when there is none. */
  actorOf(name: string): Actor | null;
  /** Names of users who may log in with a password, for the login form. */
  readonly passwordUsers: readonly string[];
}

export interface HttpSecurityOptions {
  /** The shared access token or password; null: none. Without it and without users the server answers only to loopback host names. */
  verifier: SecretVerifier | null;
  /** Named users; absent or null: every login is the shared account. */
  users?: UserDirectory | null;
  /** OIDC login, when configured (oidc-login.ts). */
  oidc?: OidcLogin | null;
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
  readonly users: UserDirectory | null;
  readonly oidc: OidcLogin | null;
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
  /** Who the request acts as: its bearer token's or session's user; the shared account without a login; null when not logged in. */
  actorOf(req: Request): Actor | null;
  /** Without a login, only requests naming a loopback host (or an allowed origin's host) are answered. */
  hostAllowed(req: Request): boolean;
}

export function createHttpSecurity(o: HttpSecurityOptions): HttpSecurity {
  const sessionIdleMs = o.sessionIdleMs ?? 12 * 3_600_000;
  const sessions = new SessionStore({ idleMs: sessionIdleMs, ...(o.now ? { now: o.now } : {}) });
  const allowedOrigins = o.allowedOrigins ?? [];
  const allowedHosts = new Set(allowedOrigins.map((origin) => new URL(origin).host));
  const users = o.users ?? null;
  const authRequired = o.verifier !== null || users !== null || (o.oidc ?? null) !== null;
  const actorOf = (req: Request): Actor | null => {
    const bearer = bearerOf(req);
    if (bearer !== undefined) {
      if (bearer === null) return null;
      if (bearer.user === null) return SHARED_ACTOR;
      // A token of a user since removed from the config is refused.
      return users?.actorOf(bearer.user) ?? null;
    }
    if (!authRequired) return SHARED_ACTOR;
    const actor = sessions.touch(readCookie(req.headers.cookie, SESSION_COOKIE));
    // The admin flag is read from the config now, not as it was at login.
    return actor === null || actor.user === null ? actor : (users?.actorOf(actor.user) ?? null);
  };
  return {
    authRequired,
    verifier: o.verifier,
    users,
    oidc: o.oidc ?? null,
    bearerVerifier: o.bearerVerifier ?? null,
    allowedOrigins,
    trustProxy: o.trustProxy ?? false,
    secureCookies: o.secureCookies ?? false,
    sessionIdleMs,
    sessions,
    limiter: new LoginLimiter({ ...o.limiter, ...(o.now ? { now: o.now } : {}) }),
    log: o.log ?? (() => {}),
    isAuthenticated: (req) => actorOf(req) !== null,
    actorOf,
    hostAllowed(req) {
      if (authRequired) return true;
      const host = (req.host as string | undefined) ?? '';
      return isLoopbackAddress(hostnameOf(host)) || allowedHosts.has(host.toLowerCase());
    },
  };
}

/** The client address for rate limiting: the socket peer, or the proxy-reported one when trusted. */
export const clientAddress = (req: Request): string =>
  req.ip ?? req.socket.remoteAddress ?? 'unknown';
