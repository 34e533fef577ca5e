import type { SubmitResult } from '../backends/backend';
import type { QueueRecord, TaskRecord } from '../history/types';
import type { Clock } from '../runtime/clock';
import { CoreError, isCoreError } from '../runtime/errors';
import type { QueueCluster } from './queue-cluster';
import { queueJobRow } from './queue-job';
import type { QueueStore } from './queue-store';
import { readStoredTask, submissionTag, toSubmitSpec } from './task-record';

export interface SubmitContext {
  store: QueueStore;
  clock: Clock;
  submitTimeoutMs: number;
  log: (message: string) => void;
}

/** `deferred`: the scheduler certainly queued nothing (unreachable); the task is pending again. */
export type SubmitTaskResult = 'submitted' | 'rejected' | 'unknown' | 'deferred';

/** The Backend.submit contract: a throw that proves nothing was queued. */
export const certainlyNotSubmitted = (e: unknown): boolean =>
  isCoreError(e) && (e.details?.submitted === false || e.details?.started === false);

/**
 * Submits one task exactly once: the intent (with a fresh tag) is durable
 * before the backend is asked, and the answer is recorded with the job row
 * in one transaction. A rejection fails only this task. A submit that
 * certainly queued nothing (scheduler unreachable) releases the intent: the
 * task is pending again. A submit that throws otherwise, or does not answer
 * in time, is recorded `unknown`: the job may exist, so the task keeps its
 * slot and is never resubmitted blindly; it is settled by looking the tag up.
 */
export async function submitTask(
  ctx: SubmitContext,
  cluster: QueueCluster,
  queue: QueueRecord,
  task: TaskRecord,
): Promise<SubmitTaskResult> {
  const render = cluster.renderScript;
  if (render === null) throw new CoreError('CLUSTER_UNAVAILABLE', `Cluster ${cluster.name} cannot take queue tasks`);
  const stored = readStoredTask(task.spec, queue.id, task.taskId);
  const tag = submissionTag(queue.id, task.position);
  const spec = toSubmitSpec(stored, tag);
  const script = render(spec);
  if (script !== task.script) ctx.store.updateTask(queue.id, task.taskId, { script });
  ctx.store.recordSubmissionIntent({ queueId: queue.id, taskId: task.taskId, tag, cluster: cluster.name });

  let result: SubmitResult;
  try {
    result = await withTimeout(ctx.clock, ctx.submitTimeoutMs, (signal) => cluster.backend.submit(spec, signal));
  } catch (e) {
    if (certainlyNotSubmitted(e)) {
      const reason = e instanceof Error ? e.message : String(e);
      ctx.store.releaseSubmission(tag, `not submitted, will be submitted later: ${reason}`);
      ctx.log(`[${cluster.name}] queue ${queue.id} task ${task.taskId}: not submitted (${reason}); it stays pending`);
      return 'deferred';
    }
    const message = `submission did not complete: ${e instanceof Error ? e.message : String(e)}`;
    ctx.store.recordSubmissionOutcome({ tag, state: 'unknown', message });
    ctx.log(`[${cluster.name}] queue ${queue.id} task ${task.taskId}: ${message}; the job may exist, it will be looked up by tag ${tag}`);
    return 'unknown';
  }
  const base = { queueId: queue.id, taskId: task.taskId, cluster: cluster.name, user: cluster.user, spec, now: ctx.clock.now() };
  if (result.ok) {
    const job = queueJobRow({ ...base, schedulerJobId: result.schedulerJobId, warnings: result.warnings });
    ctx.store.recordSubmissionOutcome({ tag, state: 'submitted', schedulerJobId: result.schedulerJobId, message: result.warnings, job });
    await cluster.monitor.track(job);
    return 'submitted';
  }
  const job = queueJobRow({ ...base, schedulerJobId: null, rejection: result.error });
  ctx.store.recordSubmissionOutcome({ tag, state: 'rejected', message: result.error, job });
  await cluster.monitor.track(job);
  return 'rejected';
}

/** Races `run` against the injected clock; on timeout aborts it and rejects with COMMAND_TIMEOUT. */
export async function withTimeout<T>(clock: Clock, timeoutMs: number, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const work = new AbortController();
  const timer = new AbortController();
  const expired = clock.sleep(timeoutMs, timer.signal).then(
    () => {
      work.abort(new Error('timed out'));
      throw new CoreError('COMMAND_TIMEOUT', `no answer within ${timeoutMs} ms`);
    },
    () => new Promise<never>(() => undefined),
  );
  try {
    return await Promise.race([run(work.signal), expired]);
  } finally {
    timer.abort(new Error('settled'));
  }
}
