import { CoreError } from '../runtime/errors';
import { applyTaskPatch } from './queue-queries';
import { rowToSubmission } from './queue-rows';
import type { StoreContext } from './store-context';
import type { SubmissionRecord } from './types';

/**
 * Closes an open (`intent` or `unknown`) submission that the scheduler has
 * no trace of: the submission becomes `rejected` with `message` and its task
 * goes back to `pending`, in one transaction, so the queue manager may submit
 * the task again under a new tag. A settled submission is a CONFLICT.
 */
export async function releaseSubmission(
  ctx: StoreContext,
  tag: string,
  message: string,
): Promise<SubmissionRecord> {
  const { db, exec, clock } = ctx;
  const now = clock.now().toISOString();
  return exec.write(async () => {
    const current = await exec.first(
      db.selectFrom('submissions').selectAll().where('tag', '=', tag),
    );
    if (current === undefined)
      throw new CoreError('NOT_FOUND', `No submission tagged ${tag}`, { tag });
    if (current.state !== 'intent' && current.state !== 'unknown') {
      throw new CoreError('CONFLICT', `Submission ${tag} is already ${current.state}`, { tag });
    }
    const row = { ...current, state: 'rejected', message, updated_at: now };
    await exec.run(
      db
        .updateTable('submissions')
        .set({ state: row.state, message, updated_at: now })
        .where('id', '=', row.id),
    );
    await applyTaskPatch(ctx, row.queue_id, row.task_id, { state: 'pending' });
    return rowToSubmission(row);
  });
}
