import { z } from 'zod';
import { publicProcedure, router } from '../trpc';
import { trackedLogStream } from './log-stream';
import { LogCursor, LogRef, QueueId, RetryInput, TailLines, TaskRef } from './queue-inputs';

export const queuesRouter = router({
  list: publicProcedure.query(({ ctx }) => ctx.core.queues.listQueues()),
  get: publicProcedure.input(z.strictObject({ id: QueueId })).query(({ ctx, input }) => ctx.core.queues.getQueue(input.id)),
  cancel: publicProcedure.input(z.strictObject({ id: QueueId })).mutation(({ ctx, input }) => ctx.core.queues.cancelQueue(input.id, ctx.actor)),
  cancelTask: publicProcedure.input(TaskRef).mutation(({ ctx, input }) => ctx.core.queues.cancelTask(input.queueId, input.taskId, ctx.actor)),
  /** A new attempt of the tasks whose last attempt ended in one of `states` (and their dependents); returns the new queue. */
  retry: publicProcedure
    .input(RetryInput)
    .mutation(({ ctx, input: { id, ...request } }) => ctx.core.queues.retryQueue(id, request, ctx.actor)),
  /** A new attempt of every task of the queue's family; returns the new queue. */
  rerun: publicProcedure.input(z.strictObject({ id: QueueId })).mutation(({ ctx, input }) => ctx.core.queues.rerunQueue(input.id, ctx.actor)),
  script: publicProcedure.input(TaskRef).query(async ({ ctx, input }) => ({ script: await ctx.core.queues.taskScript(input.queueId, input.taskId) })),
  /** Last `tail` lines (default 200); `exists: false` when the file is missing, distinct from an empty file. */
  log: publicProcedure
    .input(LogRef.extend({ tail: TailLines.optional() }))
    .query(({ ctx, input }) => ctx.core.queues.taskLog(input.queueId, input.taskId, input.kind, input.tail === undefined ? {} : { tail: input.tail })),
  /** Appended log text as it is written, until the job has ended. Resumes from the cursor in lastEventId. */
  logFollow: publicProcedure
    .input(LogRef.extend({ lastEventId: LogCursor.nullish() }))
    .subscription(({ ctx, input, signal }) =>
      trackedLogStream(
        (from) =>
          ctx.core.queues.followTaskLog(input.queueId, input.taskId, input.kind, { from, ...(signal ? { signal } : {}) }),
        input.lastEventId,
        signal,
      ),
    ),
});
