import { useCallback, useState } from 'react';
import { useLiveEvents } from '../live/live-context';
import type { LiveEvent } from '../live/live-store';
import type { QueueSummary } from './queue-types';

/**
 * The latest summary of every queue that changed since mount, from the page's
 * one event stream. Each queue change emits one, so it supersedes any copy
 * fetched earlier.
 */
export function useQueueUpdates(): ReadonlyMap<string, QueueSummary> {
  const [updates, setUpdates] = useState<ReadonlyMap<string, QueueSummary>>(() => new Map());
  const onEvent = useCallback((event: LiveEvent) => {
    if (event.type === 'queue') setUpdates((m) => new Map(m).set(event.queue.id, event.queue));
  }, []);
  useLiveEvents(onEvent);
  return updates;
}
