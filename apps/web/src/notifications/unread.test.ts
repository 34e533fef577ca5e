import type { NotificationEvent } from '@scripthut/core/domain';
import { describe, expect, it } from 'vitest';
import { mergeEvents, unreadCount } from './unread';

const ev = (id: string): NotificationEvent => ({
  id,
  type: 'job.failed',
  severity: 'error',
  title: id,
  text: '',
  createdAt: '2026-03-01T12:00:00.000Z',
  cluster: null,
  queueId: null,
  taskSource: null,
  user: null,
  jobId: null,
  path: '/',
  browser: true,
});

describe('notification bell state', () => {
  it('counts the events newer than the last one read in this browser', () => {
    expect(unreadCount([ev('evt_03'), ev('evt_02'), ev('evt_01')], 'evt_01')).toBe(2);
    expect(unreadCount([ev('evt_03')], '')).toBe(1);
  });

  it('merges live events into the loaded list newest first, once each, up to the limit', () => {
    expect(
      mergeEvents([ev('evt_02'), ev('evt_01')], [ev('evt_03'), ev('evt_02')], 2).map((e) => e.id),
    ).toEqual(['evt_03', 'evt_02']);
  });
});
