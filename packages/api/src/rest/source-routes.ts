import type { ScripthutCore, SourceStatus } from '@scripthut/core';
import { Router, type Request, type Response } from 'express';
import { GitSourceName } from '../routers/sources';
import { sendError } from './send-error';

/** The REST shape: snake_case like the seed's other endpoints. */
const restSource = (s: SourceStatus) => ({
  name: s.name,
  url: s.url,
  branch: s.branch,
  transport: s.transport,
  cloned: s.cloned,
  commit: s.commit,
  last_sync_at: s.lastSyncAt,
  last_attempt_at: s.lastAttemptAt,
  last_error: s.lastError,
  last_error_kind: s.lastErrorKind,
  remote_sha: s.remoteSha,
  syncing: s.syncing,
});

/**
 * `GET /sources` is also the Sources page of the SPA. It answers JSON unless
 * the client prefers HTML (a browser navigating there), so `curl /sources`
 * gets JSON and a reload of the page gets the app.
 */
export const wantsJson = (req: Request): boolean =>
  req.accepts(['application/json', 'text/html']) === 'application/json';

const op =
  (run: (name: string) => Promise<SourceStatus>) =>
  (req: Request, res: Response): void => {
    Promise.resolve()
      .then(() => run(GitSourceName.parse(req.params.name)))
      .then((status) => res.json(restSource(status)))
      .catch((e: unknown) => sendError(res, e));
  };

/**
 * Git sources for scripts: list, and sync or reset one source (the answer
 * waits for the sync; a failure answers with the error, its code and
 * `details.kind`). State-changing requests pass the app's origin checks first.
 */
export function sourceRoutes(core: ScripthutCore): Router {
  const r = Router();
  r.get('/sources', (req, res, next) => {
    res.vary('Accept');
    if (!wantsJson(req)) return next();
    res.json(core.sources.list().map(restSource));
  });
  r.post(
    '/sources/:name/sync',
    op((name) => core.sources.sync(name)),
  );
  r.post(
    '/sources/:name/reset',
    op((name) => core.sources.reset(name)),
  );
  return r;
}
