import { randomUUID } from 'node:crypto';
import { CoreError } from '../runtime/errors';
import { upsertJobs } from './job-queries';
import { applyTaskPatch } from './queue-queries';
import { rowToSubmission } from './queue-rows';
import type { StoreContext } from './store-context';
import type {
  SubmissionIntent,
  SubmissionOutcome,
  SubmissionRecord,
  SubmissionState,
  TaskState,
} from './types';

const OPEN_STATES: readonly SubmissionState[] = ['intent', 'unknown'];

/** Task state implied by each outcome; `unknown` leaves the task `submitting` until the tag is found. */
const TASK_STATE_AFTER: Record<SubmissionOutcome['state'], TaskState | undefined> = {
  submitted: 'submitted',
  rejected: 'failed',
  unknown: undefined,
};

/**
 * Records that a task is about to be submitted, and marks the task
 * `submitting`, in one durable transaction. Call it before asking the
 * scheduler. A reused tag is a CONFLICT; an unknown task is NOT_FOUND.
 */
export async function recordSubmissionIntent(
  ctx: StoreContext,
  intent: SubmissionIntent,
): Promise<SubmissionRecord> {
  const { db, exec, clock } = ctx;
  const now = clock.now().toISOString();
  return exec.write(async () => {
    await applyTaskPatch(ctx, intent.queueId, intent.taskId, { state: 'submitting' });
    const row = {
      id: randomUUID(),
      queue_id: intent.queueId,
      task_id: intent.taskId,
      tag: intent.tag,
      cluster: intent.cluster,
      state: 'intent',
      scheduler_job_id: null,
      message: null,
      created_at: now,
      updated_at: now,
    };
    await exec.run(db.insertInto('submissions').values(row));
    return rowToSubmission(row);
  });
}

/**
 * Records what the scheduler answered for `tag`. With `job`, also writes that
 * job and links the task to it, in the same transaction. Only `intent` and
 * `unknown` submissions accept an outcome: a settled one is a CONFLICT.
 */
export async function recordSubmissionOutcome(
  ctx: StoreContext,
  outcome: SubmissionOutcome,
): Promise<SubmissionRecord> {
  const { db, exec, clock } = ctx;
  const now = clock.now().toISOString();
  return exec.write(async () => {
    const current = await exec.first(
      db.selectFrom('submissions').selectAll().where('tag', '=', outcome.tag),
    );
    if (current === undefined)
      throw new CoreError('NOT_FOUND', `No submission tagged ${outcome.tag}`, { tag: outcome.tag });
    if (!OPEN_STATES.includes(current.state as SubmissionState)) {
      throw new CoreError('CONFLICT', `Submission ${outcome.tag} is already ${current.state}`, {
        tag: outcome.tag,
      });
    }
    const row = {
      ...current,
      state: outcome.state,
      scheduler_job_id: outcome.schedulerJobId ?? current.scheduler_job_id,
      message: outcome.message ?? current.message,
      updated_at: now,
    };
    await exec.run(
      db
        .updateTable('submissions')
        .set({
          state: row.state,
          scheduler_job_id: row.scheduler_job_id,
          message: row.message,
          updated_at: now,
        })
        .where('id', '=', row.id),
    );
    if (outcome.job !== undefined) await upsertJobs(ctx, [outcome.job]);
    await applyTaskPatch(ctx, row.queue_id, row.task_id, {
      state: TASK_STATE_AFTER[outcome.state],
      jobId: outcome.job?.id,
    });
    return rowToSubmission(row);
  });
}

/** Submissions whose outcome is not known (`intent` or `unknown`), oldest first: what to reconcile after a restart. */
export async function pendingIntents(
  { db, exec }: StoreContext,
  cluster?: string,
): Promise<SubmissionRecord[]> {
  let query = db
    .selectFrom('submissions')
    .selectAll()
    .where('state', 'in', OPEN_STATES)
    .orderBy('created_at')
    .orderBy('id');
  if (cluster !== undefined) query = query.where('cluster', '=', cluster);
  return (await exec.read(() => exec.all(query))).map(rowToSubmission);
}
