import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createExpressMiddleware } from '@trpc/server/adapters/express';
import type { ScripthutCore } from '@scripthut/core';
import express, { type Express } from 'express';
import { appRouter } from './app-router';
import { restRoutes } from './rest/rest-routes';
import { sourceRoutes } from './rest/source-routes';

export interface AppDeps {
  core: ScripthutCore;
  /** Directory of the built SPA (index.html + assets). Absent: API only. */
  webDist?: string | null;
}

/** Builds the HTTP app without listening. One instance serves API, health and SPA. */
export function createApp({ core, webDist }: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'same-origin');
    res.setHeader(
      'Content-Security-Policy',
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    );
    next();
  });

  app.get('/health', (_req, res) => {
    res.json(core.health());
  });
  app.get('/ping', (_req, res) => {
    res.json({ status: 'pong' });
  });

  app.use('/trpc', createExpressMiddleware({ router: appRouter, createContext: () => ({ core }) }));
  app.use(restRoutes(core));
  app.use(sourceRoutes(core));

  if (webDist && existsSync(join(webDist, 'index.html'))) {
    app.use(express.static(webDist, { index: false, maxAge: '1h', immutable: false }));
    // Client-side routes: any GET that is not an API or asset path gets the SPA shell.
    app.get(/^\/(?!trpc\/|assets\/).*/, (_req, res) => {
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(join(webDist, 'index.html'));
    });
  } else {
    app.get('/', (_req, res) => {
      res
        .type('text/plain')
        .send('ScriptHut API is running, but the web UI is not built. Run `pnpm build` to build it.\n');
    });
  }
  return app;
}
