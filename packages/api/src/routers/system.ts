import { publicProcedure, router } from '../trpc';

export const systemRouter = router({
  info: publicProcedure.query(({ ctx }) => ctx.core.info),
  health: publicProcedure.query(({ ctx }) => ctx.core.health()),
});
