import { TRPCError } from '@trpc/server';
import { JobCountQuery, JobQuery } from '@scripthut/core';
import { z } from 'zod';
import { publicProcedure, router } from '../trpc';
import { trackedLogStream } from './log-stream';
import { LogCursor, LogKind, QueueId } from './queue-inputs';

/** `<cluster>:<scheduler id>` or `q:<queue>:<task>`: printable ASCII without spaces. */
const JobId = z
  .string()
  .min(1)
  .max(300)
  .regex(/^[\x21-\x7e]+$/, 'a job id such as hpc:12345 (printable ASCII, no spaces)');

export const jobsRouter = router({
  list: publicProcedure
    .input(JobQuery.prefault({}))
    .query(({ ctx, input }) => ctx.core.listJobs(input)),
  /** Jobs matching the filters, counted by cluster and state (one grouped query). */
  counts: publicProcedure
    .input(JobCountQuery.prefault({}))
    .query(({ ctx, input }) => ctx.core.countJobs(input)),
  get: publicProcedure.input(z.strictObject({ id: JobId })).query(async ({ ctx, input }) => {
    const job = await ctx.core.getJob(input.id);
    if (!job) throw new TRPCError({ code: 'NOT_FOUND', message: `No job with id ${input.id}` });
    return job;
  }),
  cancel: publicProcedure
    .input(z.strictObject({ id: JobId }))
    .mutation(({ ctx, input }) => ctx.core.cancelJob(input.id, ctx.actor)),
  /** Several jobs at once (an array's own row cancels the whole array); one outcome per job, never a refusal for all. */
  cancelMany: publicProcedure
    .input(z.strictObject({ ids: z.array(JobId).min(1).max(1_000) }))
    .mutation(({ ctx, input }) => ctx.core.cancelJobs(input.ids, ctx.actor)),
  /** What a queue's finished tasks used of what they asked, with a smaller request that would do. */
  queueEfficiency: publicProcedure
    .input(z.strictObject({ queueId: QueueId }))
    .query(({ ctx, input }) => ctx.core.queueEfficiency(input.queueId)),
  /** Last `tail` lines (default 200) of the job's output or error file, read where the job ran. */
  log: publicProcedure
    .input(
      z.strictObject({
        id: JobId,
        kind: LogKind,
        tail: z.number().int().min(1).max(10_000).optional(),
      }),
    )
    .query(({ ctx, input }) => ctx.core.jobLog(input.id, input.kind, input.tail)),
  /** Appended log text while the job runs; event ids are cursors, so a reconnect resumes exactly. */
  logFollow: publicProcedure
    .input(z.strictObject({ id: JobId, kind: LogKind, lastEventId: LogCursor.nullish() }))
    .subscription(({ ctx, input, signal }) =>
      trackedLogStream(
        (from) =>
          ctx.core.followJobLog(input.id, input.kind, { from, ...(signal ? { signal } : {}) }),
        input.lastEventId,
        signal,
      ),
    ),
});
