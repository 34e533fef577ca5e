import { QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { createQueryClient, createTrpcClient, TRPCProvider } from './api/trpc';
import { AuthGate } from './auth/auth-gate';
import { JobDetailPage } from './job-detail/job-detail-page';
import { JobsPage } from './jobs/jobs-page';
import { AppLayout } from './layout/app-layout';
import { LiveProvider } from './live/live-context';
import { NotFoundPage } from './pages/not-found-page';
import { NotificationsPage } from './notifications/notifications-page';
import { DryRunPage } from './queues/dry-run-page';
import { QueueDetailPage } from './queues/queue-detail-page';
import { QueuesPage } from './queues/queues-page';
import { TaskLogPage } from './queues/task-log-page';
import { TaskScriptPage } from './queues/task-script-page';
import { SourcesPage } from './sources/sources-page';

const router = createBrowserRouter([
  {
    element: <AppLayout />,
    children: [
      { index: true, element: <JobsPage /> },
      { path: 'jobs/:id', element: <JobDetailPage /> },
      { path: 'queues', element: <QueuesPage /> },
      { path: 'queues/:id', element: <QueueDetailPage /> },
      { path: 'queues/:id/tasks/:taskId/script', element: <TaskScriptPage /> },
      { path: 'queues/:id/tasks/:taskId/logs/:kind', element: <TaskLogPage /> },
      { path: 'task-sources/:name/dry-run', element: <DryRunPage /> },
      { path: 'sources', element: <SourcesPage /> },
      { path: 'notifications', element: <NotificationsPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);

export function App() {
  return (
    <AuthGate>
      <LoggedInApp />
    </AuthGate>
  );
}

/** Mounted after login, so a new login starts with a fresh cache and stream. */
function LoggedInApp() {
  const [queryClient] = useState(createQueryClient);
  const [trpcClient] = useState(() => createTrpcClient());
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <LiveProvider>
          <RouterProvider router={router} />
        </LiveProvider>
      </TRPCProvider>
    </QueryClientProvider>
  );
}
