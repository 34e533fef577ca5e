import { TRPCError } from '@trpc/server';
import { JobQuery } from '@scripthut/core';
import { z } from 'zod';
import { publicProcedure, router } from '../trpc';

const JobId = z.string().min(1).max(300);

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
