import type { GetLogEventsRequest, GetLogEventsResponse } from '@aws-sdk/client-cloudwatch-logs';
import { logsError } from '../protocol/aws-error';
import type { LogStore, StoredLogEvent } from './log-store';

/** A page holds at most 1 MB, counting each event's UTF-8 message plus 26 bytes. */
const PAGE_BYTES = 1_048_576;
const EVENT_OVERHEAD_BYTES = 26;

const token = (dir: 'f' | 'b', index: number): string =>
  `${dir}/${String(index).padStart(20, '0')}/s`;

function parseToken(value: string): { dir: 'f' | 'b'; index: number } {
  const m = /^([fb])\/(\d{20})\/s$/.exec(value);
  if (!m?.[2]) throw logsError('InvalidParameterException', 'The specified nextToken is invalid.');
  return { dir: m[1] === 'f' ? 'f' : 'b', index: Number(m[2]) };
}

/**
 * GetLogEvents' paging contract: tokens are positions in the stream; a
 * forward read that finds nothing new returns the token it was given (the
 * caller's "end reached" signal), and tokens are never absent.
 */
export function getLogEvents(store: LogStore, input: GetLogEventsRequest): GetLogEventsResponse {
  const group = store.resolveGroupName(input.logGroupName, input.logGroupIdentifier);
  const events = store.stream(group, input.logStreamName ?? '').events;
  const limit = input.limit ?? 10_000;
  const inWindow = (e: StoredLogEvent): boolean =>
    (input.startTime === undefined || e.timestamp >= input.startTime) &&
    (input.endTime === undefined || e.timestamp < input.endTime);
  const start = input.nextToken
    ? parseToken(input.nextToken)
    : input.startFromHead
      ? { dir: 'f' as const, index: 0 }
      : { dir: 'b' as const, index: events.length };
  if (start.index > events.length) {
    throw logsError('InvalidParameterException', 'The specified nextToken is invalid.');
  }
  const page: StoredLogEvent[] = [];
  let bytes = 0;
  const fits = (e: StoredLogEvent): boolean => {
    const size = Buffer.byteLength(e.message) + EVENT_OVERHEAD_BYTES;
    if (page.length >= limit || bytes + size > PAGE_BYTES) return false;
    bytes += size;
    return true;
  };
  let forward: number;
  let backward: number;
  if (start.dir === 'f') {
    let i = start.index;
    for (; i < events.length; i++) {
      const e = events[i];
      if (!e) break;
      if (!inWindow(e)) continue;
      if (!fits(e)) break;
      page.push(e);
    }
    forward = i;
    backward = start.index;
  } else {
    let i = start.index;
    for (; i > 0; i--) {
      const e = events[i - 1];
      if (!e) break;
      if (!inWindow(e)) continue;
      if (!fits(e)) break;
      page.unshift(e);
    }
    forward = start.index;
    backward = i;
  }
  return {
    events: page.map((e) => ({
      timestamp: e.timestamp,
      message: e.message,
      ingestionTime: e.ingestionTime,
    })),
    nextForwardToken: token('f', forward),
    nextBackwardToken: token('b', backward),
  };
}
