import type {
  CreateLogGroupRequest,
  CreateLogStreamRequest,
  DescribeLogStreamsRequest,
  DescribeLogStreamsResponse,
  GetLogEventsRequest,
  FilterLogEventsRequest,
  PutLogEventsRequest,
} from '@aws-sdk/client-cloudwatch-logs';
import { logsError } from '../protocol/aws-error';
import type { OperationTable } from '../server/operation-table';
import { filterLogEvents } from './filter-log-events';
import { getLogEvents } from './get-log-events';
import type { LogStore } from './log-store';

export function logsOperations(store: LogStore): OperationTable {
  return {
    GetLogEvents: (input) => getLogEvents(store, input as GetLogEventsRequest),
    FilterLogEvents: (input) => filterLogEvents(store, input as FilterLogEventsRequest),
    DescribeLogStreams: (input) => describeLogStreams(store, input as DescribeLogStreamsRequest),
    CreateLogGroup: (input) => {
      store.createGroup((input as CreateLogGroupRequest).logGroupName ?? '');
      return {};
    },
    CreateLogStream: (input) => {
      const { logGroupName = '', logStreamName = '' } = input as CreateLogStreamRequest;
      store.createStream(logGroupName, logStreamName);
      return {};
    },
    PutLogEvents: (input) => {
      const {
        logGroupName = '',
        logStreamName = '',
        logEvents = [],
      } = input as PutLogEventsRequest;
      store.stream(logGroupName, logStreamName);
      let previous = -Infinity;
      for (const e of logEvents) {
        if ((e.timestamp ?? 0) < previous) {
          throw logsError(
            'InvalidParameterException',
            'Log events in a single PutLogEvents request must be in chronological order.',
          );
        }
        previous = e.timestamp ?? 0;
      }
      for (const e of logEvents) {
        store.append(logGroupName, logStreamName, e.message ?? '', e.timestamp ?? 0);
      }
      return {};
    },
  };
}

function describeLogStreams(
  store: LogStore,
  input: DescribeLogStreamsRequest,
): DescribeLogStreamsResponse {
  const groupName = store.resolveGroupName(input.logGroupName, input.logGroupIdentifier);
  const group = store.group(groupName);
  if (input.orderBy === 'LastEventTime' && input.logStreamNamePrefix !== undefined) {
    throw logsError(
      'InvalidParameterException',
      'Cannot order by LastEventTime with a logStreamNamePrefix.',
    );
  }
  const lastEvent = (s: { events: { timestamp: number }[] }): number =>
    s.events.at(-1)?.timestamp ?? 0;
  const streams = [...group.streams.values()]
    .filter((s) => s.name.startsWith(input.logStreamNamePrefix ?? ''))
    .sort((a, b) =>
      input.orderBy === 'LastEventTime' ? lastEvent(a) - lastEvent(b) : a.name < b.name ? -1 : 1,
    );
  if (input.descending) streams.reverse();
  const offset = input.nextToken ? Number(/^o\/(\d+)$/.exec(input.nextToken)?.[1] ?? NaN) : 0;
  if (!Number.isInteger(offset)) {
    throw logsError('InvalidParameterException', 'The specified nextToken is invalid.');
  }
  const limit = input.limit ?? 50;
  const page = streams.slice(offset, offset + limit);
  return {
    logStreams: page.map((s) => {
      const first = s.events[0];
      const last = s.events.at(-1);
      return {
        logStreamName: s.name,
        creationTime: s.creationTime,
        ...(first && last
          ? {
              firstEventTimestamp: first.timestamp,
              lastEventTimestamp: last.timestamp,
              lastIngestionTime: last.ingestionTime,
            }
          : {}),
        arn: `${store.groupArn(groupName)}:log-stream:${s.name}`,
        storedBytes: 0,
      };
    }),
    ...(offset + limit < streams.length ? { nextToken: `o/${offset + limit}` } : {}),
  };
}
