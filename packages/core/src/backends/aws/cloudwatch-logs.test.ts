import type {
  GetLogEventsCommand,
  GetLogEventsCommandInput,
  GetLogEventsCommandOutput,
} from '@aws-sdk/client-cloudwatch-logs';
import { describe, expect, it } from 'vitest';
import type { LogChunk, LogSubject } from '../backend';
import { FakeClock } from '../../runtime/fake-clock';
import { CloudWatchLogs, type LogEventsClient } from './cloudwatch-logs';
import { sdkError } from './testing';

/**
 * A stream as GetLogEvents pages it: forward tokens `f/<index of the next
 * event>`; at the end the token sent comes back; `startFromHead: false`
 * returns the last `limit` events.
 */
class FakeStream implements LogEventsClient {
  events: string[] = [];
  exists = true;
  calls: GetLogEventsCommandInput[] = [];
  pageSize = 2;

  send(command: GetLogEventsCommand): Promise<GetLogEventsCommandOutput> {
    const input = command.input;
    this.calls.push(input);
    if (!this.exists)
      return Promise.reject(
        sdkError('ResourceNotFoundException', 'The specified log stream does not exist.', 400),
      );
    const page = (from: number, to: number): GetLogEventsCommandOutput => ({
      $metadata: {},
      events: this.events.slice(from, to).map((message, i) => ({ message, timestamp: from + i })),
      nextForwardToken: `f/${to}`,
      nextBackwardToken: `b/${from}`,
    });
    if (input.startFromHead === false) {
      const n = this.events.length;
      return Promise.resolve(page(Math.max(0, n - (input.limit ?? 10_000)), n));
    }
    const from = input.nextToken ? Number(input.nextToken.slice(2)) : 0;
    return Promise.resolve(page(from, Math.min(this.events.length, from + this.pageSize)));
  }
}

const job = (over: Partial<LogSubject> = {}): LogSubject => ({
  schedulerJobId: 'j-1',
  name: 'train',
  user: 'ada',
  nodes: null,
  submittedByScripthut: true,
  stdoutPath: '/aws/batch/job:jd/default/abc',
  stderrPath: null,
  finished: () => false,
  ...over,
});

function setup() {
  const stream = new FakeStream();
  const clock = new FakeClock();
  const logs = new CloudWatchLogs({
    client: stream,
    access: { region: 'us-east-1' },
    clock,
    callsPerSecond: 1000,
  });
  return { stream, clock, logs };
}

async function collect(
  gen: AsyncGenerator<LogChunk>,
  clock: FakeClock,
  steps: number,
  onStep?: (i: number) => void,
): Promise<LogChunk[]> {
  const out: LogChunk[] = [];
  const reading = (async () => {
    for await (const c of gen) out.push(c);
  })();
  for (let i = 0; i < steps; i++) {
    onStep?.(i);
    await clock.advance(1_000);
  }
  await reading;
  return out;
}

describe('CloudWatchLogs', () => {
  it('tails the last lines in one call, newest last, with a cursor to follow from', async () => {
    const { stream, logs } = setup();
    stream.events = ['a', 'b', 'c', 'd'];
    const read = await logs.tail(job(), 'output', 2);
    expect(read).toEqual({
      available: true,
      location: '/aws/batch/job:jd/default/abc',
      exists: true,
      content: 'c\nd\n',
      cursor: 'f/4',
    });
    expect(stream.calls).toEqual([
      {
        logGroupName: '/aws/batch/job',
        logStreamName: 'jd/default/abc',
        startFromHead: false,
        limit: 2,
      },
    ]);
  });

  it('says stderr is in the same stream', async () => {
    const { logs } = setup();
    const read = await logs.tail(job(), 'error', 10);
    expect(read.available).toBe(false);
    expect(read.available === false && read.reason).toMatch(/one stream/);
  });

  it('tells a missing stream from an empty one, and a job with no stream yet', async () => {
    const { stream, logs } = setup();
    stream.exists = false;
    expect(await logs.tail(job(), 'output', 5)).toMatchObject({
      available: true,
      exists: false,
      content: '',
    });
    expect(await logs.tail(job({ stdoutPath: null }), 'output', 5)).toEqual({
      available: false,
      reason: 'train has no log stream yet: AWS names it when the job starts running',
    });
  });

  it('downloads every page until the forward token comes back unchanged', async () => {
    const { stream, logs } = setup();
    stream.events = ['1', '2', '3', '4', '5'];
    const read = await logs.download(job(), 'output');
    expect(read).toMatchObject({ exists: true, content: '1\n2\n3\n4\n5\n', cursor: 'f/5' });
    expect(stream.calls.map((c) => c.nextToken ?? null)).toEqual([null, 'f/2', 'f/4', 'f/5']);
  });

  it('follows: waits for the stream, delivers lines as they come, ends after the job finished', async () => {
    const { stream, clock, logs } = setup();
    stream.exists = false;
    let finished = false;
    const gen = logs.follow(job({ finished: () => finished }), 'output', { clock, from: null });
    const chunks = await collect(gen, clock, 5, (i) => {
      if (i === 1) {
        stream.exists = true;
        stream.events.push('one', 'two', 'three');
      }
      if (i === 3) {
        stream.events.push('four');
        finished = true;
      }
    });
    expect(chunks).toEqual([
      {
        kind: 'waiting',
        reason:
          'the log stream /aws/batch/job:jd/default/abc does not exist yet (the job has not started)',
      },
      { kind: 'data', offset: 0, text: 'one\ntwo\n', cursor: 'f/2' },
      { kind: 'data', offset: 8, text: 'three\n', cursor: 'f/3' },
      { kind: 'data', offset: 14, text: 'four\n', cursor: 'f/4' },
      { kind: 'end', reason: 'the job has finished and its log stream has no more events' },
    ]);
  });

  it('resumes exactly after a cursor', async () => {
    const { stream, clock, logs } = setup();
    stream.events = ['a', 'b', 'c'];
    const chunks = await collect(
      logs.follow(job({ finished: () => true }), 'output', { clock, from: 'f/2' }),
      clock,
      1,
    );
    expect(chunks).toEqual([
      { kind: 'data', offset: 0, text: 'c\n', cursor: 'f/3' },
      { kind: 'end', reason: 'the job has finished and its log stream has no more events' },
    ]);
    expect(stream.calls[0]).toMatchObject({ nextToken: 'f/2', startFromHead: true });
  });

  it('ends when a finished job never had a stream', async () => {
    const { clock, logs } = setup();
    const chunks = await collect(
      logs.follow(job({ stdoutPath: null, finished: () => true }), 'output', { clock, from: null }),
      clock,
      1,
    );
    expect(chunks).toEqual([
      {
        kind: 'end',
        reason:
          'the job has finished; train has no log stream yet: AWS names it when the job starts running',
      },
    ]);
  });

  it('stops when the signal aborts', async () => {
    const { stream, clock, logs } = setup();
    stream.events = ['a'];
    const abort = new AbortController();
    const chunks = await collect(
      logs.follow(job(), 'output', { clock, from: null, signal: abort.signal }),
      clock,
      3,
      (i) => {
        if (i === 1) abort.abort();
      },
    );
    expect(chunks).toEqual([{ kind: 'data', offset: 0, text: 'a\n', cursor: 'f/1' }]);
  });

  it('rejects with the denied action when GetLogEvents is not allowed', async () => {
    const logs = new CloudWatchLogs({
      client: {
        send: () =>
          Promise.reject(
            sdkError(
              'AccessDeniedException',
              'User: arn:aws:iam::1:user/bob is not authorized to perform: logs:GetLogEvents on resource: x',
              403,
            ),
          ),
      },
      access: { region: 'us-east-1' },
      clock: new FakeClock(),
    });
    await expect(logs.tail(job(), 'output', 5)).rejects.toThrow(
      'logs:GetLogEvents is not allowed for arn:aws:iam::1:user/bob: add it to the IAM policy',
    );
  });
});
