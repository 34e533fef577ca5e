import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { clientAddress, SESSION_COOKIE, type HttpSecurity } from './http-security';
import { readCookie } from './request-checks';
import { finalErrorHandler, sendJsonError } from './security-middleware';

const LoginBody = z.strictObject({ secret: z.string().min(1).max(1024) });

/** What the SPA asks before rendering: whether a login is needed and whether it has one. */
export interface SessionInfo {
  authRequired: boolean;
  authenticated: boolean;
}

const isTls = (req: Request, security: HttpSecurity): boolean =>
  security.secureCookies || req.secure;

function setSessionCookie(
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
    const info: SessionInfo = {
      authRequired: security.authRequired,
      authenticated: security.isAuthenticated(req),
    };
    res.json(info);
  });

  r.post(
    '/login',
    express.json({ limit: '4kb', strict: true, type: 'application/json' }),
    (req, res, next) => {
      const verifier = security.verifier;
      if (verifier === null) {
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
          'Expected Content-Type: application/json and a body {"secret": "<access token or password>"} (1 to 1024 characters, no other fields)',
        );
        return;
      }
      verifier(body.data.secret).then(
        (ok) => {
          if (!ok) {
            security.limiter.failed(client);
            security.log(`login failed from ${client}`);
            sendJsonError(res, 401, 'UNAUTHORIZED', 'Wrong access token or password');
            return;
          }
          security.limiter.succeeded(client);
          security.sessions.delete(readSession(req));
          setSessionCookie(
            req,
            res,
            security,
            security.sessions.create(),
            Math.floor(security.sessionIdleMs / 1000),
          );
          security.log(`login from ${client}`);
          const info: SessionInfo = { authRequired: true, authenticated: true };
          res.json(info);
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
