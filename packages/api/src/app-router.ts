import { clustersRouter } from './routers/clusters';
import { eventsRouter } from './routers/events';
import { jobsRouter } from './routers/jobs';
import { systemRouter } from './routers/system';
import { router } from './trpc';

export const appRouter = router({
  system: systemRouter,
  clusters: clustersRouter,
  jobs: jobsRouter,
  events: eventsRouter,
});

export type AppRouter = typeof appRouter;
