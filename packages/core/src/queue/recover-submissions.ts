import type { QueueWithTasks, SubmissionRecord } from '../history/types';
import type { QueueCluster } from './queue-cluster';
import { queueJobRow } from './queue-job';
import type { SubmitContext } from './submit-context';
import { readStoredTask, toSubmitSpec } from './task-record';

export interface SettleOptions {
  /**
   * At startup every open submission is settled: found -> submitted, not
   * found -> released (the task goes back to pending). While running, only
   * `unknown` ones are looked at, and only found ones are settled: a submit
   * that timed out may still reach the scheduler later.
   */
  startup: boolean;
  /** While running, skip `unknown` submissions updated less than this long ago. */
  recheckAfterMs?: number;
  /**
   * While running, an `unknown` submission still not found this long after
   * it became unknown is released (task pending again): the submit command
   * that may have created it has ended (or been killed with its connection)
   * long before, so no job can appear for it any more. Absent: never.
   */
  releaseUnknownAfterMs?: number;
  /**
   * While running, an `intent` this old is not a submission in progress (a
   * submit is bounded by its timeout) but one whose outcome could not be
   * recorded (the store failed after sbatch): it is looked up like an
   * `unknown` one. Absent: intents are settled only at startup.
   */
  staleIntentAfterMs?: number;
  /**
   * At startup: a submission that is not found is left open and its tag
   * returned in `deferred`, to be looked up again later with `onlyTags`
   * (the backend may list a job late: Backend.findByTagsLagMs).
   */
  deferUnfound?: boolean;
  /** Only the open submissions with these tags. */
  onlyTags?: ReadonlySet<string>;
}

export interface SettleResult {
  /** Ids of the queues whose submissions changed. */
  touched: Set<string>;
  /** Tags left open under `deferUnfound`. */
  deferred: string[];
}

/**
 * Settles submissions whose outcome was never recorded (crash between
 * intent and answer, or a submit that timed out) by asking the backend for
 * their tags. Never submits anything.
 */
export async function settleOpenSubmissions(
  ctx: SubmitContext,
  cluster: QueueCluster,
  options: SettleOptions,
): Promise<SettleResult> {
  const nowMs = ctx.clock.now().getTime();
  const open = (await ctx.store.pendingIntents(cluster.name)).filter((s) => {
    if (options.onlyTags !== undefined && !options.onlyTags.has(s.tag)) return false;
    if (options.startup) return true;
    const ageMs = nowMs - Date.parse(s.updatedAt);
    if (s.state === 'unknown') return ageMs >= (options.recheckAfterMs ?? 0);
    return options.staleIntentAfterMs !== undefined && ageMs >= options.staleIntentAfterMs;
  });
  const touched = new Set<string>();
  const deferred: string[] = [];
  if (open.length === 0) return { touched, deferred };

  let found: Map<string, string> | null = null;
  let why = '';
  try {
    found = await cluster.backend.findByTags(open.map((s) => s.tag));
  } catch (e) {
    why = `looking the job up by its tag failed (${e instanceof Error ? e.message : String(e)})`;
  }
  const queues = new Map<string, QueueWithTasks | null>();
  const queueOf = async (id: string): Promise<QueueWithTasks | null> => {
    if (!queues.has(id)) queues.set(id, await ctx.store.getQueue(id));
    return queues.get(id) ?? null;
  };

  for (const s of open) {
    const queue = await queueOf(s.queueId);
    if (queue === null) continue;
    touched.add(s.queueId);
    if (found === null) {
      if (s.state === 'intent') {
        const what = options.startup
          ? 'the server stopped while submitting this task'
          : "this submission's outcome could not be recorded";
        const message = `${what} and ${why}; it will not be submitted again until its job is found`;
        await ctx.store.recordSubmissionOutcome({ tag: s.tag, state: 'unknown', message });
      }
      continue;
    }
    const schedulerJobId = found.get(s.tag);
    const unknownForMs = nowMs - Date.parse(s.updatedAt);
    if (schedulerJobId !== undefined) await settleFound(ctx, cluster, queue, s, schedulerJobId);
    else if (
      !options.startup &&
      options.releaseUnknownAfterMs !== undefined &&
      unknownForMs >= options.releaseUnknownAfterMs
    ) {
      const seconds = Math.round(unknownForMs / 1000);
      await ctx.store.releaseSubmission(
        s.tag,
        `the scheduler has no job with this tag ${seconds} s after the submission's outcome became unknown: it was never submitted`,
      );
      if (queue.queue.status === 'cancelled')
        await ctx.store.updateTask(s.queueId, s.taskId, { state: 'cancelled' });
      ctx.log(
        `[${cluster.name}] queue ${s.queueId} task ${s.taskId}: submission ${s.tag} not found after ${seconds} s; task is pending again`,
      );
    } else if (options.startup && options.deferUnfound === true) {
      deferred.push(s.tag);
    } else if (options.startup) {
      await ctx.store.releaseSubmission(
        s.tag,
        'the scheduler has no job with this tag after a restart: it was never submitted',
      );
      if (queue.queue.status === 'cancelled')
        await ctx.store.updateTask(s.queueId, s.taskId, { state: 'cancelled' });
      ctx.log(
        `[${cluster.name}] queue ${s.queueId} task ${s.taskId}: submission ${s.tag} never reached the scheduler; task is pending again`,
      );
    }
  }
  return { touched, deferred };
}

async function settleFound(
  ctx: SubmitContext,
  cluster: QueueCluster,
  queue: QueueWithTasks,
  s: SubmissionRecord,
  schedulerJobId: string,
): Promise<void> {
  const task = queue.tasks.find((t) => t.taskId === s.taskId);
  if (!task) return;
  const spec = toSubmitSpec(readStoredTask(task.spec, s.queueId, s.taskId), s.tag);
  const job = queueJobRow({
    queueId: s.queueId,
    taskId: s.taskId,
    cluster: cluster.name,
    user: cluster.user,
    spec,
    schedulerJobId,
    now: new Date(s.createdAt),
  });
  await ctx.store.recordSubmissionOutcome({
    tag: s.tag,
    state: 'submitted',
    schedulerJobId,
    message: `found by its tag after the outcome was not recorded (${s.state})`,
    job,
  });
  await cluster.monitor.track(job);
  ctx.log(
    `[${cluster.name}] queue ${s.queueId} task ${s.taskId}: found job ${schedulerJobId} by tag ${s.tag}; not submitted again`,
  );
  if (queue.queue.status === 'cancelled')
    await cluster.backend.cancel([schedulerJobId]).catch(() => undefined);
}
