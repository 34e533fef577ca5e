import {
  GetLogEventsCommand,
  type GetLogEventsCommandInput,
  type GetLogEventsCommandOutput,
} from '@aws-sdk/client-cloudwatch-logs';
import type { JobLogs, LogChunk, LogKind, LogRead, LogSubject } from '../backend';
import type { Clock } from '../../runtime/clock';
import { CoreError } from '../../runtime/errors';
import { LOG_LIMITS } from '../log-limits';
import type { AwsAccess } from './aws-access';
import { awsFailureOf } from './aws-error';
import { awsCoreError } from './classify-aws-error';
import { formatLogLocation, parseLogLocation, type LogLocation } from './log-location';
import { RateLimiter } from './rate-limiter';

/** The one call this reader makes; a CloudWatchLogsClient is one. */
export interface LogEventsClient {
  send(
    command: GetLogEventsCommand,
    options?: { abortSignal?: AbortSignal },
  ): Promise<GetLogEventsCommandOutput>;
}

export interface CloudWatchLogsOptions {
  client: LogEventsClient;
  access: AwsAccess;
  /** Paces every GetLogEvents call (sleeps of the limiter and of follow). */
  clock: Clock;
  /**
   * GetLogEvents calls per second for this cluster. The account quota is 10
   * per second per region, not adjustable, and shared with every other
   * client, so the default is half of it.
   */
  callsPerSecond?: number;
  /**
   * Where a job's stream is: by default `job.stdoutPath` (`group:stream`).
   * A backend that can ask AWS (a job whose stream was named after the last
   * poll) passes its own; null: no stream yet.
   */
  locate?: (job: LogSubject, signal?: AbortSignal) => Promise<string | null>;
  /** Follow's pause when a read found nothing new. */
  pollMs?: number;
}

const ONE_STREAM =
  'CloudWatch Logs keeps stdout and stderr in one stream (the awslogs driver interleaves them): see the output log';
/** Pages one download may read; a stream growing faster than we page would otherwise never end. */
const MAX_DOWNLOAD_PAGES = 500;

/**
 * Logs of AWS jobs read with GetLogEvents. Cursors are CloudWatch forward
 * tokens: a follow given `from` resumes exactly after the last event it
 * delivered. The end of a stream (for now) is a forward token that comes
 * back unchanged. Chunk offsets count the bytes this follow delivered.
 */
export class CloudWatchLogs implements JobLogs {
  private readonly limiter: RateLimiter;
  private readonly pollMs: number;

  constructor(private readonly o: CloudWatchLogsOptions) {
    this.limiter = new RateLimiter(o.callsPerSecond ?? 5, o.clock);
    this.pollMs = o.pollMs ?? LOG_LIMITS.followPollMs;
  }

  async tail(
    job: LogSubject,
    kind: LogKind,
    lines: number,
    signal?: AbortSignal,
  ): Promise<LogRead> {
    if (kind === 'error') return { available: false, reason: ONE_STREAM };
    const loc = await this.where(job, signal);
    if (loc === null) return { available: false, reason: noStream(job) };
    const limit = Math.max(1, Math.min(LOG_LIMITS.tailLines, Math.floor(lines)));
    const page = await this.read(loc, { startFromHead: false, limit }, signal);
    if (page === null) return missing(loc);
    return {
      available: true,
      location: formatLogLocation(loc),
      exists: true,
      content: textOf(page),
      cursor: page.nextForwardToken ?? null,
    };
  }

  async download(job: LogSubject, kind: LogKind, signal?: AbortSignal): Promise<LogRead> {
    if (kind === 'error') return { available: false, reason: ONE_STREAM };
    const loc = await this.where(job, signal);
    if (loc === null) return { available: false, reason: noStream(job) };
    let token: string | undefined;
    let content = '';
    let bytes = 0;
    for (let pages = 0; pages < MAX_DOWNLOAD_PAGES; pages++) {
      const page = await this.read(
        loc,
        { startFromHead: true, ...(token !== undefined ? { nextToken: token } : {}) },
        signal,
      );
      if (page === null) return missing(loc);
      const text = textOf(page);
      bytes += Buffer.byteLength(text);
      if (bytes > LOG_LIMITS.downloadBytes) {
        throw new CoreError(
          'OUTPUT_TOO_LARGE',
          `The log ${formatLogLocation(loc)} is larger than ${LOG_LIMITS.downloadBytes} bytes; follow it or read it in the CloudWatch console`,
          { path: formatLogLocation(loc), limitBytes: LOG_LIMITS.downloadBytes },
        );
      }
      content += text;
      if (page.nextForwardToken === undefined || page.nextForwardToken === token) {
        return {
          available: true,
          location: formatLogLocation(loc),
          exists: true,
          content,
          cursor: page.nextForwardToken ?? null,
        };
      }
      token = page.nextForwardToken;
    }
    throw new CoreError(
      'SCHEDULER_ERROR',
      `The log ${formatLogLocation(loc)} was still growing after ${MAX_DOWNLOAD_PAGES} pages; follow it instead`,
    );
  }

  async *follow(
    job: LogSubject,
    kind: LogKind,
    f: { clock: Clock; from: string | null; signal?: AbortSignal },
  ): AsyncGenerator<LogChunk> {
    if (kind === 'error') {
      yield { kind: 'end', reason: ONE_STREAM };
      return;
    }
    let token = f.from ?? undefined;
    let offset = 0;
    let saidWaiting = false;
    let loc: LogLocation | null = null;
    while (!f.signal?.aborted) {
      // Asked before the read: a read that finds nothing after the job finished is the last one.
      const done = await job.finished();
      loc ??= await this.where(job, f.signal).catch(abortedAsNull(f.signal));
      const page =
        loc === null
          ? null
          : await this.read(
              loc,
              { startFromHead: true, ...(token !== undefined ? { nextToken: token } : {}) },
              f.signal,
            ).catch(throttledOrAborted(f.signal));
      if (f.signal?.aborted) return;
      if (page === 'throttled') {
        if (!(await pause(f.clock, this.pollMs * 2, f.signal))) return;
        continue;
      }
      if (page === null) {
        if (done) {
          yield {
            kind: 'end',
            reason: `the job has finished; ${loc === null ? noStream(job) : `its log stream ${formatLogLocation(loc)} does not exist`}`,
          };
          return;
        }
        if (!saidWaiting)
          yield {
            kind: 'waiting',
            reason: `the log stream ${loc === null ? `of ${job.name}` : formatLogLocation(loc)} does not exist yet (the job has not started)`,
          };
        saidWaiting = true;
        if (!(await pause(f.clock, this.pollMs, f.signal))) return;
        continue;
      }
      const text = textOf(page);
      const next = page.nextForwardToken ?? token;
      if (text !== '') {
        yield { kind: 'data', offset, text, cursor: next ?? '' };
        offset += Buffer.byteLength(text);
      }
      const atEnd = next === token;
      token = next;
      if (!atEnd) continue;
      if (done) {
        yield { kind: 'end', reason: 'the job has finished and its log stream has no more events' };
        return;
      }
      if (!(await pause(f.clock, this.pollMs, f.signal))) return;
    }
  }

  private async where(job: LogSubject, signal?: AbortSignal): Promise<LogLocation | null> {
    const location = this.o.locate ? await this.o.locate(job, signal) : job.stdoutPath;
    return parseLogLocation(location);
  }

  /** One GetLogEvents page; null when the stream (or group) does not exist. */
  private async read(
    loc: LogLocation,
    input: Omit<GetLogEventsCommandInput, 'logGroupName' | 'logStreamName'>,
    signal?: AbortSignal,
  ): Promise<GetLogEventsCommandOutput | null> {
    await this.limiter.take(signal);
    try {
      const command = new GetLogEventsCommand({
        logGroupName: loc.group,
        logStreamName: loc.stream,
        ...input,
      });
      return await this.o.client.send(command, signal ? { abortSignal: signal } : {});
    } catch (e) {
      if (awsFailureOf(e).kind === 'notFound') return null;
      throw awsCoreError(e, {
        service: 'CloudWatch Logs',
        action: 'logs:GetLogEvents',
        access: this.o.access,
      });
    }
  }
}

function textOf(page: GetLogEventsCommandOutput): string {
  let text = '';
  for (const event of page.events ?? []) text += `${event.message ?? ''}\n`;
  return text;
}

const missing = (loc: LogLocation): LogRead => ({
  available: true,
  location: formatLogLocation(loc),
  exists: false,
  content: '',
  cursor: null,
});

const noStream = (job: LogSubject): string =>
  `${job.name} has no log stream yet: AWS names it when the job starts running`;

async function pause(clock: Clock, ms: number, signal?: AbortSignal): Promise<boolean> {
  try {
    await clock.sleep(ms, signal);
    return true;
  } catch {
    return false;
  }
}

const abortedAsNull =
  (signal?: AbortSignal) =>
  (e: unknown): null => {
    if (signal?.aborted) return null;
    throw e;
  };

/** In a follow, a call throttled after the SDK's retries waits and tries again; an abort ends it. */
const throttledOrAborted =
  (signal?: AbortSignal) =>
  (e: unknown): 'throttled' | null => {
    if (signal?.aborted) return null;
    if (e instanceof CoreError && e.code === 'RATE_LIMITED') return 'throttled';
    throw e;
  };
