import type { ChannelConfig, RuleConfig } from '../config/notifications-schema';
import type { NotificationEventType } from '../domain/notification';
import type { DetectedEvent } from './detect-events';
import type { RouteTarget } from './outbox-types';

/** Events whose detection waits `after_minutes` of the rules that name them. */
export const TIMED_EVENTS: ReadonlySet<NotificationEventType> = new Set(['queue.stalled', 'cluster.unreachable']);
/** The wait for timed events when no rule names them (the bell still shows them). */
export const DEFAULT_AFTER_MINUTES = 30;

type Routable = Pick<DetectedEvent, 'type' | 'cluster' | 'taskSource' | 'user' | 'data'>;

/** Whether a rule takes an event: its type is listed and every non-empty filter holds. */
export function ruleMatches(rule: RuleConfig, event: Routable): boolean {
  if (!rule.events.includes(event.type)) return false;
  if (rule.clusters.length > 0 && (event.cluster === null || !rule.clusters.includes(event.cluster))) return false;
  if (rule.task_sources.length > 0 && (event.taskSource === null || !rule.task_sources.includes(event.taskSource))) return false;
  if (rule.users.length > 0 && (event.user === null || !rule.users.includes(event.user))) return false;
  // A timed event was detected for one threshold; only rules with that threshold take it.
  if (TIMED_EVENTS.has(event.type) && event.data.afterMinutes !== rule.after_minutes) return false;
  return true;
}

/**
 * The (rule, channel) pairs an event goes to, browser channels excluded
 * (the page shows them). A channel named by two matching rules gets the
 * event once per rule: rules are separate subscriptions.
 */
export function routeTargets(rules: readonly RuleConfig[], channels: readonly ChannelConfig[], event: Routable): RouteTarget[] {
  const sending = new Set(channels.filter((c) => c.type !== 'browser').map((c) => c.name));
  return rules
    .filter((r) => ruleMatches(r, event))
    .flatMap((r) => r.channels.filter((c) => sending.has(c)).map((channel) => ({ rule: r.name, channel, windowSeconds: r.digest_window_seconds })));
}

/**
 * Whether the browser shows a desktop notification for the event: when no
 * rule names a browser channel, every event (the default); otherwise only
 * events of rules that do.
 */
export function forBrowser(rules: readonly RuleConfig[], channels: readonly ChannelConfig[], event: Routable): boolean {
  const browserNames = new Set(['browser', ...channels.filter((c) => c.type === 'browser').map((c) => c.name)]);
  const browserRules = rules.filter((r) => r.channels.some((c) => browserNames.has(c)));
  if (browserRules.length === 0) return true;
  return browserRules.some((r) => ruleMatches(r, event));
}

/** The thresholds at which to detect a timed event: one per distinct `after_minutes` of the rules naming it, else the default. */
export function thresholdsFor(rules: readonly RuleConfig[], type: NotificationEventType): number[] {
  const minutes = [...new Set(rules.filter((r) => r.events.includes(type)).map((r) => r.after_minutes))].sort((a, b) => a - b);
  return minutes.length > 0 ? minutes : [DEFAULT_AFTER_MINUTES];
}
