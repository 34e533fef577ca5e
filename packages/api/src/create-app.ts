import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createExpressMiddleware } from '@trpc/server/adapters/express';
import type { ScripthutCore } from '@scripthut/core';
import express, { type Express } from 'express';
import { appRouter } from './app-router';
import { authRoutes } from './auth/auth-routes';
import { bearerAuth } from './auth/bearer-auth';
import { createHttpSecurity, type HttpSecurity } from './auth/http-security';
import {
  finalErrorHandler,
  MAX_BODY_BYTES,
  requestGuards,
  requireSession,
  securityHeaders,
  sendJsonError,
} from './auth/security-middleware';
import { trpcContext } from './auth/trpc-guard';
import { restRoutes } from './rest/rest-routes';
import { sourceRoutes } from './rest/source-routes';

export interface AppDeps {
  core: ScripthutCore;
  /** Directory of the built SPA (index.html + assets). Absent: API only. */
  webDist?: string | null;
  /** Login, sessions and origin checks. Default: no login, loopback host names only. */
  security?: HttpSecurity;
}

/** Builds the HTTP app without listening. One instance serves API, health and SPA. */
export function createApp({
  core,
  webDist,
  security = createHttpSecurity({ verifier: null }),
}: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  if (security.trustProxy) app.set('trust proxy', 1);
  app.use(securityHeaders);
  app.use(bearerAuth(security));
  app.use(requestGuards(security));

  // Public, so it carries only the overall status until the caller is logged in.
  app.get('/health', (req, res, next) => {
    core.health().then(
      (health) => res.json(security.isAuthenticated(req) ? health : { status: health.status }),
      next,
    );
  });
  app.get('/ping', (_req, res) => {
    res.json({ status: 'pong' });
  });

  app.use('/auth', authRoutes(security));
  const hasWeb = Boolean(webDist && existsSync(join(webDist, 'index.html')));
  const sendShell = (res: express.Response): void => {
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(join(webDist ?? '', 'index.html'));
  };
  // The SPA's files hold no secrets, and the login form is part of them.
  if (hasWeb && webDist)
    app.use(express.static(webDist, { index: false, maxAge: '1h', immutable: false }));
  app.use(requireSession(security, hasWeb ? sendShell : null));

  app.use(
    '/trpc',
    createExpressMiddleware({
      router: appRouter,
      createContext: trpcContext(core, security),
      maxBodySize: MAX_BODY_BYTES,
    }),
  );
  app.use(restRoutes(core, (req) => security.actorOf(req)));
  app.use(sourceRoutes(core));

  if (hasWeb) {
    // Client-side routes: any GET that is not an API or asset path gets the SPA shell.
    app.get(/^\/(?!trpc\/|assets\/).*/, (_req, res) => sendShell(res));
  } else {
    app.get('/', (_req, res) => {
      res
        .type('text/plain')
        .send(
          'ScriptHut API is running, but the web UI is not built. Run `pnpm build` to build it.\n',
        );
    });
  }
  app.use((req, res) =>
    sendJsonError(res, 404, 'NOT_FOUND', `No route ${req.method} ${req.path.slice(0, 200)}`),
  );
  app.use(finalErrorHandler);
  return app;
}
