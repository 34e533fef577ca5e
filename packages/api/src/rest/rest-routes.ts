import { CoreError, RetryOverrides, RetryRequest, SHARED_ACTOR, type Actor, type QueueSummary, type ScripthutCore } from '@scripthut/core';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { LogKind, QueueId, SourceName, TaskId } from '../routers/queue-inputs';
import { sendError } from './send-error';

type Handler = (req: Request, res: Response) => Promise<void> | void;
const handle =
  (fn: Handler) =>
  (req: Request, res: Response): void => {
    Promise.resolve()
      .then(() => fn(req, res))
      .catch((e: unknown) => sendError(res, e));
  };

/** A POST from another site's page (a form or fetch without CORS) must not start or cancel work. */
function sameOriginOnly(req: Request, res: Response, next: NextFunction): void {
  const site = req.get('sec-fetch-site');
  const origin = req.get('origin');
  const crossSite = (site !== undefined && site !== 'same-origin' && site !== 'none') || (origin !== undefined && originHost(origin) !== req.get('host'));
  if (crossSite) res.status(403).json({ error: 'Cross-site requests are refused', code: 'FORBIDDEN', details: null });
  else next();
}

/**
 * Some GET URLs are both a page of the SPA and a REST resource. A browser
 * navigating there (it prefers HTML) gets the SPA shell from the catch-all
 * after these routes; other clients (curl and scripts send no Accept header
 * or a wildcard) get the resource. `?download=1` is always the file.
 */
const pageOrResource =
  (resourceType: 'text/plain' | 'application/json') =>
  (req: Request, res: Response, next: NextFunction): void => {
    res.vary('Accept');
    const download = req.query.download === '1' || req.query.download === 'true';
    if (!download && req.accepts([resourceType, 'text/html']) === 'text/html') next('route');
    else next();
  };

const originHost = (origin: string): string | null => {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
};

const LogQuery = z.object({
  tail: z.coerce.number().int().min(1).max(10_000).default(200),
  download: z.enum(['0', '1', 'true', 'false']).optional(),
});

/** POST /queues/:id/retry body, snake_case like the seed: `{"states": ["out_of_memory"], "memory": "8G", "time_limit": "2:00:00"}`. */
const RetryBody = RetryOverrides.extend({ states: RetryRequest.shape.states });
const jsonBody = express.json({ limit: '4kb', strict: true, type: 'application/json' });

/** A new attempt, as POST /queues/:id/retry and /rerun answer it. */
const restAttempt = (q: QueueSummary) => ({
  queue_id: q.id,
  original_id: q.originalId,
  retry_of: q.retryOf,
  attempt: q.attempt,
  source_name: q.sourceName,
  cluster_name: q.cluster,
  task_count: q.taskCount,
  status: q.status,
});

const seedQueue = (q: QueueSummary) => ({
  queue_id: q.id,
  source_name: q.sourceName,
  cluster_name: q.cluster,
  created_at: q.createdAt,
  status: q.status,
  task_count: q.taskCount,
  max_concurrent: q.maxConcurrent,
  counts: q.counts,
  cancelled_at: q.cancelledAt,
  error: q.error,
  blocked_reason: q.blockedReason,
  ending: q.ending,
  original_id: q.originalId,
  retry_of: q.retryOf,
  attempt: q.attempt,
});

/**
 * The seed's REST endpoints, for scripts and curl. GET /queues and
 * /queues/:id are SPA pages, so the JSON list lives at /queues/list; the
 * dry-run, script and log URLs are pages too, negotiated by `pageOrResource`.
 */
export function restRoutes(core: ScripthutCore, actorOf: (req: Request) => Actor | null = () => SHARED_ACTOR): Router {
  const r = Router();
  // requireSession lets only logged-in requests this far; a null here is refused, never taken for the shared account.
  const as = (req: Request): Actor => {
    const actor = actorOf(req);
    if (actor === null) throw new CoreError('FORBIDDEN', 'Log in first: your session is missing or has expired');
    return actor;
  };
  const q = core.queues;

  r.get('/task-sources', handle((_req, res) => {
    res.json(q.listTaskSources().map((s) => ({ name: s.name, cluster: s.cluster, command: s.command, max_concurrent: s.maxConcurrent, description: s.description, available: s.available })));
  }));
  r.post('/task-sources/:name/run', sameOriginOnly, handle(async (req, res) => {
    const queue = await q.run(SourceName.parse(req.params.name), as(req));
    res.status(201).json({ queue_id: queue.id, source_name: queue.sourceName, cluster_name: queue.cluster, task_count: queue.taskCount, status: queue.status });
  }));
  r.get('/task-sources/:name/dry-run', pageOrResource('application/json'), handle(async (req, res) => {
    const dry = await q.dryRun(SourceName.parse(req.params.name), as(req));
    res.json({
      source_name: dry.source,
      cluster_name: dry.cluster,
      home: dry.home,
      task_count: dry.taskCount,
      tasks: dry.tasks.map((t) => ({ task_id: t.taskId, name: t.name, script: t.script, submit: t.submit })),
    });
  }));

  r.get('/queues/list', handle(async (_req, res) => {
    res.json((await q.listQueues()).map(seedQueue));
  }));
  r.post('/queues/:id/cancel', sameOriginOnly, handle(async (req, res) => {
    const result = await q.cancelQueue(QueueId.parse(req.params.id), as(req));
    res.json({
      status: 'cancelled',
      queue_id: result.queueId,
      tasks: result.tasks.map((t) => ({ task_id: t.taskId, result: t.result, scheduler_job_id: t.schedulerJobId, message: t.message })),
    });
  }));
  r.post('/queues/:id/retry', sameOriginOnly, jsonBody, handle(async (req, res) => {
    const { states, ...overrides } = RetryBody.parse(req.body);
    res.status(201).json(restAttempt(await q.retryQueue(QueueId.parse(req.params.id), { states, overrides }, as(req))));
  }));
  r.post('/queues/:id/rerun', sameOriginOnly, handle(async (req, res) => {
    res.status(201).json(restAttempt(await q.rerunQueue(QueueId.parse(req.params.id), as(req))));
  }));
  r.get('/queues/:id/tasks/:taskId/script', pageOrResource('text/plain'), handle(async (req, res) => {
    res.type('text/plain; charset=utf-8').send(await q.taskScript(QueueId.parse(req.params.id), TaskId.parse(req.params.taskId)));
  }));
  r.get('/queues/:id/tasks/:taskId/logs/:type', pageOrResource('text/plain'), handle(async (req, res) => {
    const [queueId, taskId, kind] = [QueueId.parse(req.params.id), TaskId.parse(req.params.taskId), LogKind.parse(req.params.type)];
    const query = LogQuery.parse(req.query);
    const download = query.download === '1' || query.download === 'true';
    const log = download ? await q.downloadTaskLog(queueId, taskId, kind) : await q.taskLog(queueId, taskId, kind, { tail: query.tail });
    res.type('text/plain; charset=utf-8');
    if (log.path === null) {
      res.status(404).send(`No log: ${log.unavailable ?? 'unknown'}\n`);
      return;
    }
    res.setHeader('X-Scripthut-Log-Path', encodeURI(log.path));
    if (!log.exists) {
      res.status(404).send(`Log file not found: ${log.path}\n(the task has not started yet, or the file was removed)\n`);
      return;
    }
    if (download) res.attachment(`${queueId}-${taskId}.${kind === 'output' ? 'out' : 'err'}`);
    res.send(log.content);
  }));
  return r;
}
