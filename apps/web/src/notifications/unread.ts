import type { NotificationEvent } from '@scripthut/core/domain';

/** Event ids are time-ordered (`evt_<base36 ms><random>`), so "read up to" is one id kept per browser. */
export const LAST_READ_KEY = 'scripthut.notifications.lastRead';
export const DESKTOP_KEY = 'scripthut.notifications.desktop';

export function unreadCount(
  events: readonly Pick<NotificationEvent, 'id'>[],
  lastRead: string,
): number {
  return events.filter((e) => e.id > lastRead).length;
}

/** Newest first, without duplicates (a live event may also arrive in a reload), at most `limit`. */
export function mergeEvents(
  current: readonly NotificationEvent[],
  incoming: readonly NotificationEvent[],
  limit: number,
): NotificationEvent[] {
  const byId = new Map<string, NotificationEvent>();
  for (const e of [...incoming, ...current]) if (!byId.has(e.id)) byId.set(e.id, e);
  return [...byId.values()]
    .sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
    .slice(0, limit);
}

export const SEVERITY_TONE = {
  info: 'info',
  success: 'success',
  warning: 'warning',
  error: 'danger',
} as const;
