import { TRPCError } from '@trpc/server';
import { JobQuery } from '@scripthut/core';
import { z } from 'zod';
import { publicProcedure, router } from '../trpc';

/** `<cluster>:<scheduler id>` or `q:<queue>:<task>`: printable ASCII without spaces. */
const JobId = z.string().min(1).max(300).regex(/^[\x21-\x7e]+$/, 'a job id such as hpc:12345 (printable ASCII, no spaces)');

export const jobsRouter = router({
  list: publicProcedure.input(JobQuery.prefault({})).query(({ ctx, input }) =>
    ctx.core.listJobs(input),
  ),
  get: publicProcedure.input(z.strictObject({ id: JobId })).query(async ({ ctx, input }) => {
    const job = await ctx.core.getJob(input.id);
    if (!job) throw new TRPCError({ code: 'NOT_FOUND', message: `No job with id ${input.id}` });
    return job;
  }),
  cancel: publicProcedure
    .input(z.strictObject({ id: JobId }))
    .mutation(({ ctx, input }) => ctx.core.cancelJob(input.id)),
});
