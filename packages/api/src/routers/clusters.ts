import { z } from 'zod';
import { publicProcedure, router } from '../trpc';

export const clustersRouter = router({
  list: publicProcedure.query(({ ctx }) => ctx.core.clusters()),
  refresh: publicProcedure
    .input(z.strictObject({ cluster: z.string().max(64).optional() }).default({}))
    .mutation(({ ctx, input }) => ctx.core.refresh(input.cluster)),
});
