import type {
  FilterLogEventsRequest,
  FilterLogEventsResponse,
  FilteredLogEvent,
} from '@aws-sdk/client-cloudwatch-logs';
import { logsError } from '../protocol/aws-error';
import type { LogStore } from './log-store';

/**
 * FilterLogEvents over one group: streams by name list or prefix, a time
 * window, and a term pattern (every plain or "quoted" term must occur;
 * `-term` must not). JSON and metric patterns are not interpreted. Unlike
 * GetLogEvents, the end is reached when no `nextToken` comes back.
 */
export function filterLogEvents(
  store: LogStore,
  input: FilterLogEventsRequest,
): FilterLogEventsResponse {
  if (input.logStreamNames && input.logStreamNamePrefix !== undefined) {
    throw logsError(
      'InvalidParameterException',
      'You cannot specify both LogStreamNames and LogStreamNamePrefix.',
    );
  }
  const group = store.group(store.resolveGroupName(input.logGroupName, input.logGroupIdentifier));
  const streams = [...group.streams.values()].filter((s) =>
    input.logStreamNames
      ? input.logStreamNames.includes(s.name)
      : s.name.startsWith(input.logStreamNamePrefix ?? ''),
  );
  const match = termMatcher(input.filterPattern ?? '');
  const after = input.nextToken ? parseCursor(input.nextToken) : -1;
  const all: (FilteredLogEvent & { id: number })[] = [];
  for (const s of streams) {
    for (const e of s.events) {
      if (input.startTime !== undefined && e.timestamp < input.startTime) continue;
      if (input.endTime !== undefined && e.timestamp > input.endTime) continue;
      if (!match(e.message)) continue;
      all.push({
        logStreamName: s.name,
        timestamp: e.timestamp,
        message: e.message,
        ingestionTime: e.ingestionTime,
        eventId: String(e.id).padStart(20, '0'),
        id: e.id,
      });
    }
  }
  all.sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0) || a.id - b.id);
  const from = after < 0 ? 0 : all.findIndex((e) => e.id === after) + 1;
  const limit = input.limit ?? 10_000;
  const page = all.slice(from, from + limit);
  const last = page.at(-1);
  return {
    events: page.map(({ id: _id, ...event }) => event),
    searchedLogStreams: streams.map((s) => ({ logStreamName: s.name, searchedCompletely: true })),
    ...(from + limit < all.length && last ? { nextToken: `c/${last.id}` } : {}),
  };
}

function parseCursor(token: string): number {
  const m = /^c\/(\d+)$/.exec(token);
  if (!m) throw logsError('InvalidParameterException', 'The specified nextToken is invalid.');
  return Number(m[1]);
}

function termMatcher(pattern: string): (message: string) => boolean {
  const terms = [...pattern.matchAll(/(-?)"([^"]*)"|(-?)(\S+)/g)].map((m) => ({
    negate: (m[1] ?? m[3]) === '-',
    text: m[2] ?? m[4] ?? '',
  }));
  return (message) => terms.every((t) => message.includes(t.text) !== t.negate);
}
