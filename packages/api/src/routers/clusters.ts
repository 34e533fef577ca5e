import { z } from 'zod';
import { publicProcedure, router } from '../trpc';

/** The config's rule for cluster names. */
const ClusterName = z.string().min(1).max(64).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a cluster name');

export const clustersRouter = router({
  list: publicProcedure.query(({ ctx }) => ctx.core.clusters()),
  refresh: publicProcedure
    .input(z.strictObject({ cluster: ClusterName.optional() }).default({}))
    .mutation(({ ctx, input }) => ctx.core.refresh(input.cluster)),
});
