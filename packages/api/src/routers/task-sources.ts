import { z } from 'zod';
import { publicProcedure, router } from '../trpc';
import { SourceName } from './queue-inputs';

export const taskSourcesRouter = router({
  list: publicProcedure.query(({ ctx }) => ctx.core.queues.listTaskSources()),
  /** Fetches, validates and renders; submits and writes nothing. */
  dryRun: publicProcedure.input(z.strictObject({ name: SourceName })).query(({ ctx, input }) => ctx.core.queues.dryRun(input.name, ctx.actor)),
  run: publicProcedure.input(z.strictObject({ name: SourceName })).mutation(({ ctx, input }) => ctx.core.queues.run(input.name, ctx.actor)),
});
