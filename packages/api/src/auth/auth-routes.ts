import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { clientAddress, SESSION_COOKIE, type HttpSecurity } from './http-security';
import { readCookie } from './request-checks';
import { finalErrorHandler, sendJsonError } from './security-middleware';
import { oidcRoutes } from './oidc-routes';
import { SHARED_ACTOR, type Actor } from '@scripthut/core';

const LoginBody = z.strictObject({
  secret: z.string().min(1).max(1024),
  /** A named user (settings.auth.users); absent: the shared access token or password. */
  user: z.string().min(1).max(64).optional(),
});

/** What the SPA asks before rendering: whether a login is needed, whether it has one, and as whom. */
export interface SessionInfo {
  authRequired: boolean;
  authenticated: boolean;
  /** The logged-in named user; null: the shared account (or not logged in). */
  user: string | null;
  /** May change everyone's jobs and queues (the shared account always may). */
  admin: boolean;
  /** The login form asks for a user name (named users with passwords are configured). */
  namedUsers: boolean;
  /** The shared access token or password logs in too. */
  sharedLogin: boolean;
  /** An OIDC login button, when configured. */
  oidc: { label: string } | null;
}

export function sessionInfo(req: Request, security: HttpSecurity): SessionInfo {
  const actor = security.actorOf(req);
  return {
    authRequired: security.authRequired,
    authenticated: actor !== null,
    user: actor?.user ?? null,
    admin: actor?.admin ?? false,
    namedUsers: (security.users?.passwordUsers.length ?? 0) > 0,
    sharedLogin: security.verifier !== null,
    oidc: security.oidc ? { label: security.oidc.label } : null,
  };
}

const isTls = (req: Request, security: HttpSecurity): boolean =>
  security.secureCookies || req.secure;

export function setSessionCookie(
  req: Request,
  res: Response,
  security: HttpSecurity,
  value: string,
  maxAgeS: number,
): void {
  const attributes = [
    `${SESSION_COOKIE}=${value}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${maxAgeS}`,
  ];
  if (isTls(req, security)) attributes.push('Secure');
  res.append('Set-Cookie', attributes.join('; '));
}

/** POST /auth/login, POST /auth/logout, GET /auth/session. Public: they are how one gets a session. */
export function authRoutes(security: HttpSecurity): Router {
  const r = Router();
  r.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  r.get('/session', (req, res) => {
    res.json(sessionInfo(req, security));
  });
  if (security.oidc) r.use('/oidc', oidcRoutes(security, security.oidc));

  r.post(
    '/login',
    express.json({ limit: '4kb', strict: true, type: 'application/json' }),
    (req, res, next) => {
      if (!security.authRequired) {
        sendJsonError(
          res,
          400,
          'NOT_CONFIGURED',
          'No login is configured on this server (settings.auth); nothing to log in to',
        );
        return;
      }
      const client = clientAddress(req);
      const waitMs = security.limiter.retryAfterMs(client);
      if (waitMs > 0) {
        res.setHeader('Retry-After', String(Math.ceil(waitMs / 1000)));
        security.log(`login refused: too many failed attempts from ${client}`);
        sendJsonError(
          res,
          429,
          'RATE_LIMITED',
          `Too many failed logins; try again in ${Math.ceil(waitMs / 60_000)} minute(s)`,
        );
        return;
      }
      const body = LoginBody.safeParse(req.body);
      if (!body.success) {
        sendJsonError(
          res,
          400,
          'INVALID_INPUT',
          'Expected Content-Type: application/json and a body {"secret": "<access token or password>", "user": "<name, for a named user>"} (1 to 1024 characters, no other fields)',
        );
        return;
      }
      const { secret, user } = body.data;
      verifyLogin(security, secret, user).then(
        (actor) => {
          if (actor === null) {
            security.limiter.failed(client);
            security.log(`login failed from ${client}`);
            const what = user === undefined ? 'access token or password' : 'user name or password';
            sendJsonError(res, 401, 'UNAUTHORIZED', `Wrong ${what}`);
            return;
          }
          security.limiter.succeeded(client);
          startSession(req, res, security, actor);
          security.log(`login${actor.user === null ? '' : ` of ${actor.user}`} from ${client}`);
          res.json({ ...sessionInfo(req, security), authenticated: true, user: actor.user, admin: actor.admin });
        },
        (e: unknown) => next(e),
      );
    },
  );

  r.post('/logout', (req, res) => {
    security.sessions.delete(readSession(req));
    setSessionCookie(req, res, security, '', 0);
    res.status(204).end();
  });

  r.use(finalErrorHandler);
  return r;
}

const readSession = (req: Request): string | undefined =>
  readCookie(req.headers.cookie, SESSION_COOKIE);

/** A fresh session for `actor` (an old one of this browser ends): new cookie, new id. */
export function startSession(req: Request, res: Response, security: HttpSecurity, actor: Actor): void {
  security.sessions.delete(readSession(req));
  setSessionCookie(req, res, security, security.sessions.create(actor), Math.floor(security.sessionIdleMs / 1000));
}

/** A named user's password, or the shared token/password; null when wrong. */
async function verifyLogin(security: HttpSecurity, secret: string, user: string | undefined): Promise<Actor | null> {
  if (user !== undefined) return (await security.users?.verifyPassword(user, secret)) ?? null;
  if (security.verifier === null) return null;
  return (await security.verifier(secret)) ? SHARED_ACTOR : null;
}
