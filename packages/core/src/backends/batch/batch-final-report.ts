import type { JobDetail } from '@aws-sdk/client-batch';
import type { FinalReport } from '../backend';
import type { JobOutcome } from '../../domain/job';
import { formatDuration, isoTime } from '../aws/format-duration';
import {
  awsWordsOf,
  containerReasonOf,
  exitCodeOf,
  lastAttempt,
  logLocationOf,
  rawStateOf,
} from './batch-job-detail';

/** The reason TerminateJob is given by ScriptHut; the user is read back from statusReason. */
export const CANCEL_REASON_PREFIX = 'Cancelled from ScriptHut by ';

/**
 * Failure evidence, matched on AWS's own strings (see the facts reference,
 * §A.4): the timeout and host-loss strings live in statusReason, OOM and
 * start failures in container.reason (sometimes in statusReason too).
 */
const OOM = /OutOfMemoryError/i;
const TIMEOUT = /Job attempt duration exceeded timeout/i;
const HOST_LOST =
  /Host EC2 \(instance [^)]*\) terminated|Spot ?Interruption|TerminationNotice|instance (was )?(terminated|reclaimed)/i;
const START_FAILED =
  /CannotPullContainerError|CannotStartContainerError|CannotCreateContainerError|CannotInspectContainerError|TaskFailedToStart|ResourceInitializationError|ContainerRuntimeError|DockerTimeoutError/i;
const QUEUE_TIME_LIMIT = /Canceled by JobStateTimeLimit/i;

export interface BatchVerdict {
  outcome: JobOutcome;
  cancelledBy: string | null;
}

/**
 * How a final job ended. Order matters: an OutOfMemoryError decides whatever
 * the status and exit code (AWS has reported it with exit 0); a timeout is
 * AWS's own termination; then a cancel or terminate by a user or the queue;
 * lost capacity (host terminated, Spot: no exit code); a container that
 * never started; and finally the exit code. A FAILED job with no exit code
 * that never started is a start failure, one that did start is FAILED with
 * AWS's words as the only evidence.
 */
export function batchVerdictOf(d: JobDetail): BatchVerdict {
  const words = awsWordsOf(d) ?? '';
  const statusReason = [d.statusReason, lastAttempt(d)?.statusReason].join(' ');
  const exitCode = exitCodeOf(d);
  const verdict = (outcome: JobOutcome, cancelledBy: string | null = null): BatchVerdict => ({
    outcome,
    cancelledBy,
  });
  if (OOM.test(containerReasonOf(d) ?? '') || OOM.test(statusReason))
    return verdict('OUT_OF_MEMORY');
  if (d.status === 'SUCCEEDED') return verdict('COMPLETED');
  if (TIMEOUT.test(statusReason)) return verdict('TIMEOUT');
  if (d.isCancelled === true || d.isTerminated === true || QUEUE_TIME_LIMIT.test(statusReason)) {
    return verdict('CANCELLED', cancellerOf(d));
  }
  if (HOST_LOST.test(words)) return verdict('NODE_FAIL');
  if (START_FAILED.test(words)) return verdict('BOOT_FAIL');
  if (exitCode !== null) return verdict('FAILED');
  const started =
    d.startedAt !== undefined || (d.attempts ?? []).some((a) => a.startedAt !== undefined);
  return verdict(started ? 'FAILED' : 'BOOT_FAIL');
}

function cancellerOf(d: JobDetail): string | null {
  const reason = d.statusReason ?? '';
  if (reason.startsWith(CANCEL_REASON_PREFIX))
    return reason.slice(CANCEL_REASON_PREFIX.length).trim() || null;
  if (QUEUE_TIME_LIMIT.test(reason)) return 'the job queue (JobStateTimeLimit action)';
  return null;
}

/**
 * The final report of a SUCCEEDED or FAILED job; null for a job that can
 * still change (including one back in RUNNABLE for another attempt).
 */
export function batchFinalReportOf(d: JobDetail, logGroup: string): FinalReport | null {
  if (d.jobId === undefined || (d.status !== 'SUCCEEDED' && d.status !== 'FAILED')) return null;
  const { outcome, cancelledBy } = batchVerdictOf(d);
  const attempt = lastAttempt(d);
  const startedAt = attempt?.startedAt ?? d.startedAt;
  const stoppedAt = attempt?.stoppedAt ?? d.stoppedAt;
  const exitCode = exitCodeOf(d) ?? (d.status === 'SUCCEEDED' ? 0 : null);
  return {
    schedulerJobId: d.jobId,
    rawState: rawStateOf(d),
    outcome,
    exitCode,
    signal: null,
    cancelledBy,
    reason: awsWordsOf(d),
    startTime: isoTime(d.startedAt ?? startedAt),
    finishTime: isoTime(d.stoppedAt ?? stoppedAt),
    elapsed:
      startedAt !== undefined && stoppedAt !== undefined
        ? formatDuration((stoppedAt - startedAt) / 1000)
        : null,
    stdoutPath: logLocationOf(d, logGroup),
  };
}
