import type { RequestHandler } from 'express';
import type { VerifiedToken } from './api-tokens';
import { setBearer, setBearerLimited } from './bearer-state';
import { clientAddress, type HttpSecurity } from './http-security';
import { sendJsonError } from './security-middleware';

/** Checks a bearer token for tools; null when it is not a live token. */
export type BearerVerifier = (token: string) => Promise<VerifiedToken | null>;

export const INVALID_BEARER_MESSAGE =
  'The bearer token is wrong or has been revoked. On the server machine, create one with "scripthut token create NAME --config PATH" and give it to the client in SCRIPTHUT_TOKEN';

export const rateLimitedMessage = (retryAfterS: number): string =>
  `Too many refused tokens or logins from this address; try again in ${Math.ceil(retryAfterS / 60)} minute(s)`;

const BEARER = /^Bearer +([\x21-\x7e]{1,200})$/i;

/**
 * Verifies `Authorization: Bearer <token>` before anything else looks at
 * the request. A request with a live token is authenticated and needs no
 * Origin: a page cannot make a browser send this header cross-site. Failed
 * tokens count against the login limiter. tRPC requests are refused in
 * their context (trpc-guard.ts), so the error keeps tRPC's shape.
 */
export function bearerAuth(security: HttpSecurity): RequestHandler {
  return (req, res, next) => {
    const header = req.headers.authorization;
    if (header === undefined) {
      next();
      return;
    }
    const client = clientAddress(req);
    const waitMs = security.limiter.retryAfterMs(client);
    if (waitMs > 0) {
      const retryAfterS = Math.ceil(waitMs / 1000);
      res.setHeader('Retry-After', String(retryAfterS));
      setBearerLimited(req, retryAfterS);
      if (req.path.startsWith('/trpc/')) next();
      else sendJsonError(res, 429, 'RATE_LIMITED', rateLimitedMessage(retryAfterS));
      return;
    }
    const token = BEARER.exec(header.trim())?.[1];
    const check = token !== undefined && security.bearerVerifier ? security.bearerVerifier(token) : Promise.resolve(null);
    check.then(
      (verified) => {
        setBearer(req, verified);
        if (verified) {
          next();
          return;
        }
        security.limiter.failed(client);
        security.log(`refused a bearer token from ${client}`);
        if (req.path.startsWith('/trpc/')) next();
        else sendJsonError(res, 401, 'UNAUTHORIZED', INVALID_BEARER_MESSAGE);
      },
      (e: unknown) => next(e),
    );
  };
}
