import { z } from 'zod';
import { publicProcedure, router } from '../trpc';

/** Same rule as the config's names; anything else cannot name a source. */
export const GitSourceName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/);

const ByName = z.strictObject({ name: GitSourceName });

/**
 * Git sources. `sync` and `reset` resolve with the new status, or fail with
 * the source error's core code (`data.coreCode`) and its kind in
 * `data.details.kind`; the status, with the full message, also arrives as a
 * `source` event either way.
 */
export const sourcesRouter = router({
  list: publicProcedure.query(({ ctx }) => ctx.core.sources.list()),
  sync: publicProcedure
    .input(ByName)
    .mutation(({ ctx, input }) => ctx.core.sources.sync(input.name)),
  reset: publicProcedure
    .input(ByName)
    .mutation(({ ctx, input }) => ctx.core.sources.reset(input.name)),
});
