import { Router, type Request, type Response } from 'express';
import type { HttpSecurity } from './http-security';
import type { OidcLogin, PendingLogin } from './oidc-login';
import { clientAddress } from './http-security';
import { readCookie } from './request-checks';
import { startSession } from './auth-routes';

const STATE_COOKIE = 'scripthut_oidc';
/** How long the provider may take to send the browser back. */
const PENDING_MS = 10 * 60_000;
const MAX_PENDING = 1_000;

/**
 * GET /auth/oidc/start sends the browser to the provider; GET
 * /auth/oidc/callback takes it back, checks state (also bound to this
 * browser by a cookie, so nobody can log someone in as themselves),
 * exchanges the code and starts a session for the configured user the
 * id_token names.
 */
export function oidcRoutes(security: HttpSecurity, oidc: OidcLogin): Router {
  const r = Router();
  const pending = new Map<string, PendingLogin>();
  const fail = (res: Response, status: number, message: string): void => {
    res.status(status).type('text/plain').send(`${message}\n\nBack to the login page: /\n`);
  };

  r.get('/start', (req, res, next) => {
    oidc.begin().then(({ url, pending: p }) => {
      for (const [state, old] of pending) if (Date.now() - old.createdMs > PENDING_MS || pending.size >= MAX_PENDING) pending.delete(state);
      pending.set(p.state, p);
      setStateCookie(req, res, security, p.state, PENDING_MS / 1000);
      res.redirect(302, url);
    }, (e: unknown) => {
      security.log(`OIDC: cannot start a login: ${e instanceof Error ? e.message : String(e)}`);
      if (res.headersSent) next(e);
      else fail(res, 502, `The login provider cannot be reached: ${e instanceof Error ? e.message : String(e)}`);
    });
  });

  r.get('/callback', (req, res, next) => {
    const q = req.query;
    const state = typeof q.state === 'string' ? q.state : '';
    const code = typeof q.code === 'string' ? q.code : '';
    const p = pending.get(state);
    pending.delete(state);
    setStateCookie(req, res, security, '', 0);
    if (typeof q.error === 'string') return fail(res, 401, `The login provider refused the login: ${q.error.slice(0, 200)}`);
    if (!p || readCookie(req.headers.cookie, STATE_COOKIE) !== state || Date.now() - p.createdMs > PENDING_MS || code === '') {
      return fail(res, 400, 'This login is unknown, expired, or was started in another browser; start it again');
    }
    const client = clientAddress(req);
    oidc.finish(code, p).then((name) => {
      const actor = security.users?.actorOf(name) ?? null;
      if (actor === null) {
        security.log(`OIDC: ${name} is not a configured user (from ${client})`);
        return fail(res, 403, `${name} is not a ScriptHut user here: ask an administrator to add them to settings.auth.users`);
      }
      startSession(req, res, security, actor);
      security.log(`login of ${name} through OIDC from ${client}`);
      res.redirect(302, '/');
    }, (e: unknown) => {
      security.log(`OIDC: login failed from ${client}: ${e instanceof Error ? e.message : String(e)}`);
      if (res.headersSent) next(e);
      else fail(res, 401, `The login could not be verified: ${e instanceof Error ? e.message : String(e)}`);
    });
  });
  return r;
}

/** SameSite=Lax: the provider's redirect back is a cross-site navigation, which a Strict cookie would miss. */
function setStateCookie(req: Request, res: Response, security: HttpSecurity, value: string, maxAgeS: number): void {
  const attributes = [`${STATE_COOKIE}=${value}`, 'Path=/auth/oidc', 'HttpOnly', 'SameSite=Lax', `Max-Age=${maxAgeS}`];
  if (security.secureCookies || req.secure) attributes.push('Secure');
  res.append('Set-Cookie', attributes.join('; '));
}
