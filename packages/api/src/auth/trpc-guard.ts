import { TRPCError } from '@trpc/server';
import type { CreateExpressContextOptions } from '@trpc/server/adapters/express';
import type { ScripthutCore } from '@scripthut/core';
import type { Context } from '../trpc';
import type { HttpSecurity } from './http-security';
import { INVALID_BEARER_MESSAGE, rateLimitedMessage } from './bearer-auth';
import { bearerOf, bearerRetryAfterS } from './bearer-state';
import { originProblem } from './request-checks';

/**
 * tRPC's createContext: the one gate every procedure passes. Throwing here
 * fails every call of the request with tRPC's own error shape, before any
 * procedure runs. Mutations and subscriptions must come from this server's
 * origin unless they carry a live bearer token; with a login configured every
 * call needs a session or a bearer token.
 */
export function trpcContext(core: ScripthutCore, security: HttpSecurity) {
  return ({ req, info }: CreateExpressContextOptions): Context => {
    const bearer = bearerOf(req);
    const retryAfterS = bearerRetryAfterS(req);
    if (retryAfterS !== undefined) throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: rateLimitedMessage(retryAfterS) });
    if (bearer === null) throw new TRPCError({ code: 'UNAUTHORIZED', message: INVALID_BEARER_MESSAGE });
    if (bearer === undefined && (info.type === 'mutation' || info.type === 'subscription')) {
      const problem = originProblem(req.headers, req.host, security.allowedOrigins);
      if (problem) throw new TRPCError({ code: 'FORBIDDEN', message: problem });
    }
    const actor = security.actorOf(req);
    if (actor === null) {
      throw new TRPCError({
        code: 'UNAUTHORIZED',
        message: 'Log in first: your session is missing or has expired',
      });
    }
    return { core, actor };
  };
}
