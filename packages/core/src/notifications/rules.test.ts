import { describe, expect, it } from 'vitest';
import { RuleConfig, type ChannelConfig } from '../config/notifications-schema';
import { forBrowser, routeTargets, ruleMatches, thresholdsFor } from './rules';

const rule = (o: Partial<RuleConfig> & Pick<RuleConfig, 'name'>): RuleConfig =>
  RuleConfig.parse({ events: ['job.failed'], channels: ['hook'], ...o });
const event = (o: object = {}) => ({ type: 'job.failed' as const, cluster: 'hpc', taskSource: 'demo', user: 'alice', data: {}, ...o });
const channels: ChannelConfig[] = [
  { name: 'hook', type: 'webhook', url: 'https://h.example.org/', allow_private: false },
  { name: 'desk', type: 'browser' },
];

describe('rules', () => {
  it.each([
    ['the event type is not listed', rule({ name: 'r', events: ['queue.finished'] }), false],
    ['every filter is empty', rule({ name: 'r' }), true],
    ['the cluster matches', rule({ name: 'r', clusters: ['hpc'] }), true],
    ['the cluster differs', rule({ name: 'r', clusters: ['gpu'] }), false],
    ['the task source differs', rule({ name: 'r', task_sources: ['other'] }), false],
    ['the user matches', rule({ name: 'r', users: ['alice', 'bob'] }), true],
  ])('matches or not when %s', (_why, r, expected) => {
    expect(ruleMatches(r, event())).toBe(expected);
  });

  it('takes a timed event only in rules with the threshold it was detected at', () => {
    const r = rule({ name: 'r', events: ['queue.stalled'], after_minutes: 45 });
    expect(ruleMatches(r, event({ type: 'queue.stalled', data: { afterMinutes: 45 } }))).toBe(true);
    expect(ruleMatches(r, event({ type: 'queue.stalled', data: { afterMinutes: 30 } }))).toBe(false);
    expect(thresholdsFor([r, rule({ name: 's', events: ['queue.stalled'], after_minutes: 10 })], 'queue.stalled')).toEqual([10, 45]);
    expect(thresholdsFor([], 'cluster.unreachable')).toEqual([30]);
  });

  it('routes to sending channels only, once per matching rule', () => {
    const rules = [rule({ name: 'a', channels: ['hook', 'desk'] }), rule({ name: 'b', digest_window_seconds: 0 })];
    expect(routeTargets(rules, channels, event())).toEqual([
      { rule: 'a', channel: 'hook', windowSeconds: 60 },
      { rule: 'b', channel: 'hook', windowSeconds: 0 },
    ]);
  });

  it('shows every event in the browser until a rule names a browser channel, then only that rule’s', () => {
    expect(forBrowser([rule({ name: 'a' })], channels, event())).toBe(true);
    const onlyQueues = [rule({ name: 'q', events: ['queue.finished'], channels: ['desk'] })];
    expect(forBrowser(onlyQueues, channels, event())).toBe(false);
    expect(forBrowser(onlyQueues, channels, event({ type: 'queue.finished' }))).toBe(true);
  });
});
