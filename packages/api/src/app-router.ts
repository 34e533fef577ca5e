import { clustersRouter } from './routers/clusters';
import { eventsRouter } from './routers/events';
import { jobsRouter } from './routers/jobs';
import { notificationsRouter } from './routers/notifications';
import { queuesRouter } from './routers/queues';
import { systemRouter } from './routers/system';
import { sourcesRouter } from './routers/sources';
import { taskSourcesRouter } from './routers/task-sources';
import { router } from './trpc';

export const appRouter = router({
  system: systemRouter,
  clusters: clustersRouter,
  jobs: jobsRouter,
  events: eventsRouter,
  taskSources: taskSourcesRouter,
  queues: queuesRouter,
  sources: sourcesRouter,
  notifications: notificationsRouter,
});

export type AppRouter = typeof appRouter;
