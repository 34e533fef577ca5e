import type { NotificationEvent } from '@scripthut/core/domain';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { useTRPC } from '../api/trpc';
import { useLiveEvents } from '../live/live-context';
import type { LiveEvent } from '../live/live-store';
import { useStoredState } from '../ui/use-stored-state';
import { DESKTOP_KEY, LAST_READ_KEY, mergeEvents, unreadCount } from './unread';

export const RECENT_LIMIT = 50;

/** A desktop notification, when this browser turned them on and the user allowed them. */
function showDesktop(event: NotificationEvent, enabled: boolean): void {
  if (
    !enabled ||
    !event.browser ||
    typeof Notification === 'undefined' ||
    Notification.permission !== 'granted'
  )
    return;
  const n = new Notification(event.title, { body: event.text, tag: event.id });
  n.onclick = () => {
    window.focus();
    window.location.assign(event.path);
  };
}

/**
 * Recent notification events: loaded once, then kept current by the
 * `notification` events of the page's one live stream. "Read" is kept per
 * browser as the newest id read. `popups`: this caller shows desktop
 * notifications (the header bell; one per page).
 */
export function useNotifications({ popups = false }: { popups?: boolean } = {}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const queryOptions = trpc.notifications.recent.queryOptions({ limit: RECENT_LIMIT });
  const queryKey = queryOptions.queryKey;
  const query = useQuery(queryOptions);
  const [lastRead, setLastRead] = useStoredState(LAST_READ_KEY, (raw) => raw ?? '');
  const [desktop, setDesktop] = useStoredState(DESKTOP_KEY, (raw) => (raw === 'on' ? 'on' : 'off'));
  const onEvent = useCallback(
    (event: LiveEvent) => {
      if (event.type !== 'notification') return;
      const current = queryClient.getQueryData<NotificationEvent[]>(queryKey);
      if (current === undefined) void queryClient.invalidateQueries({ queryKey });
      else
        queryClient.setQueryData<NotificationEvent[]>(
          queryKey,
          mergeEvents(current, [event.event], RECENT_LIMIT),
        );
      if (popups) showDesktop(event.event, desktop === 'on');
      void queryClient.invalidateQueries({ queryKey: trpc.notifications.deliveries.queryKey() });
    },
    [queryClient, queryKey, desktop, trpc, popups],
  );
  useLiveEvents(onEvent);
  const events = useMemo(() => query.data ?? [], [query.data]);
  const markAllRead = useCallback(() => {
    const newest = events[0]?.id;
    if (newest !== undefined && newest > lastRead) setLastRead(newest);
  }, [events, lastRead, setLastRead]);
  return {
    query,
    events,
    unread: unreadCount(events, lastRead),
    lastRead,
    markAllRead,
    desktop: desktop === 'on',
    setDesktop: (on: boolean) => setDesktop(on ? 'on' : 'off'),
  };
}
