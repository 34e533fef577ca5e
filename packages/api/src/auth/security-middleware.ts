import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import { bearerOf } from './bearer-state';
import type { HttpSecurity } from './http-security';
import { originProblem } from './request-checks';

/** Requests with a larger body are refused before anything reads them. */
export const MAX_BODY_BYTES = 64 * 1024;

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/** Headers on every response: no inline scripts, no framing, no sniffing, no cross-origin window access. */
export const securityHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader('Content-Security-Policy', CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader(
    'Permissions-Policy',
    'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()',
  );
  next();
};

export const sendJsonError = (res: Response, status: number, code: string, error: string): void => {
  res.status(status).setHeader('Cache-Control', 'no-store');
  res.json({ error, code, details: null });
};

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses, before any route runs: a Host that is not this machine while no
 * login is configured (DNS rebinding), a body over MAX_BODY_BYTES, and a
 * state-changing request from another origin (unless it carries a live
 * bearer token, which no page can make a browser send). tRPC requests get the
 * Origin check in their context (see trpc-guard.ts), so errors keep tRPC's shape.
 */
export function requestGuards(security: HttpSecurity): RequestHandler {
  return (req, res, next) => {
    if (!security.hostAllowed(req)) {
      security.log(
        `refused a request for host ${JSON.stringify(String(req.host).slice(0, 100))} (no login configured)`,
      );
      sendJsonError(
        res,
        403,
        'FORBIDDEN',
        'Refused: without a login configured, ScriptHut only answers requests for localhost or 127.0.0.1 (see settings.auth and settings.allowed_origins)',
      );
      return;
    }
    if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
      sendJsonError(
        res,
        413,
        'PAYLOAD_TOO_LARGE',
        `Request body larger than ${MAX_BODY_BYTES} bytes`,
      );
      return;
    }
    if (!SAFE_METHODS.has(req.method) && !req.path.startsWith('/trpc/') && !bearerOf(req)) {
      const problem = originProblem(req.headers, req.host, security.allowedOrigins);
      if (problem) {
        sendJsonError(res, 403, 'FORBIDDEN', problem);
        return;
      }
    }
    next();
  };
}

/**
 * With a login configured, everything after this needs a session. A browser
 * navigation without one gets the SPA shell (which shows the login form);
 * other requests get 401. tRPC checks sessions in its context instead.
 */
export function requireSession(
  security: HttpSecurity,
  sendShell: ((res: Response) => void) | null,
): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.path.startsWith('/trpc/') || security.isAuthenticated(req)) {
      next();
      return;
    }
    if (sendShell && req.method === 'GET' && req.accepts(['json', 'html']) === 'html') {
      sendShell(res);
      return;
    }
    sendJsonError(
      res,
      401,
      'UNAUTHORIZED',
      'Log in first: POST /auth/login with the access token or password',
    );
  };
}

/** Last handler: a JSON error without stack traces or file paths (Express's default prints them outside production). */
export const finalErrorHandler: ErrorRequestHandler = (err: unknown, _req, res, next) => {
  if (res.headersSent) {
    next(err);
    return;
  }
  const status =
    typeof err === 'object' && err !== null && 'status' in err && typeof err.status === 'number'
      ? err.status
      : 500;
  if (status >= 400 && status < 500) {
    const type = typeof err === 'object' && err !== null && 'type' in err ? String(err.type) : '';
    const message =
      type === 'entity.too.large'
        ? 'Request body too large'
        : type === 'entity.parse.failed'
          ? 'Malformed JSON body'
          : 'Bad request';
    sendJsonError(res, status, status === 413 ? 'PAYLOAD_TOO_LARGE' : 'INVALID_INPUT', message);
  } else {
    sendJsonError(res, 500, 'INTERNAL', 'Internal error');
  }
};
