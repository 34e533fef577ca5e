import { PlaceholderPage } from './placeholder-page';

export function QueuesPage() {
  return (
    <PlaceholderPage
      title="Queues"
      emptyTitle="Queues are not available yet"
      testId="queues-placeholder"
    >
      <p>
        This page will list your task sources and the queues created from them: batches of tasks
        submitted with a concurrency limit, with their progress and state (pending, running,
        completed, failed, cancelled).
      </p>
      <p className="muted">
        Jobs that queues submit will also appear on the Jobs page, marked with their queue.
      </p>
    </PlaceholderPage>
  );
}
