import {
  SubmitJobCommand,
  type BatchClient,
  type SubmitJobCommandInput,
} from '@aws-sdk/client-batch';
import type { SubmitOutcome } from '../backend';
import type { Clock } from '../../runtime/clock';
import { awsFailureOf, type AwsFailureKind } from '../aws/aws-error';
import { submitOutcomeOf } from '../aws/classify-aws-error';
import type { ConnectionTracker } from '../aws/connection-tracker';
import type { RateLimiter } from '../aws/rate-limiter';

export interface SubmitBatchJobContext {
  /** A client with SDK retries off: a lost answer must never be followed by a second SubmitJob. */
  client: BatchClient;
  tracker: ConnectionTracker;
  limiter: RateLimiter;
  clock: Clock;
  /** Tries of a throttled call before it is `notSubmitted`. */
  throttledTries: number;
}

/** `fatal`: the failure (credentials, permissions, no connection) would stop every later spec too. */
export interface SubmitAttempt {
  outcome: SubmitOutcome;
  fatal: boolean;
}

const FATAL = new Set<AwsFailureKind>([
  'noCredentials',
  'expired',
  'badCredentials',
  'accessDenied',
  'noConnection',
]);

/**
 * One SubmitJob. Only a throttled call is sent again (AWS refused the
 * request itself, so it cannot have been queued), with exponential backoff
 * and jitter; any other failure is classified once (see submitOutcomeOf).
 */
export async function submitBatchJob(
  input: SubmitJobCommandInput,
  c: SubmitBatchJobContext,
  signal?: AbortSignal,
): Promise<SubmitAttempt> {
  for (let attempt = 1; ; attempt++) {
    try {
      await c.limiter.take(signal);
    } catch {
      return {
        outcome: {
          kind: 'notSubmitted',
          message: 'the submission was abandoned before this task was sent',
        },
        fatal: false,
      };
    }
    try {
      const answer = await c.client.send(
        new SubmitJobCommand(input),
        signal ? { abortSignal: signal } : {},
      );
      c.tracker.succeeded();
      if (answer.jobId === undefined)
        return {
          outcome: { kind: 'uncertain', message: 'SubmitJob answered without a jobId' },
          fatal: false,
        };
      return {
        outcome: { kind: 'submitted', schedulerJobId: answer.jobId, warnings: null },
        fatal: false,
      };
    } catch (e) {
      const outcome = submitOutcomeOf(e, c.tracker.failed(e, 'batch:SubmitJob'));
      const kind = awsFailureOf(e).kind;
      if (kind !== 'throttled' || attempt >= c.throttledTries)
        return { outcome, fatal: FATAL.has(kind) };
      const backoffMs = Math.min(8_000, 250 * 2 ** attempt) * (0.5 + Math.random() / 2);
      try {
        await c.clock.sleep(Math.round(backoffMs), signal);
      } catch {
        return { outcome, fatal: false };
      }
    }
  }
}
