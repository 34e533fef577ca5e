import type { Clock } from '../../runtime/clock';
import type { SubmitOutcome, SubmitSpec } from '../backend';
import { awsFailureOf, mapBounded, submitOutcomeOf, type RateLimiter } from '../aws';
import type { EcsCalls } from './ecs-calls';
import { runTaskInput, type RunTaskSettings } from './run-task-input';
import { runTaskOutcome } from './run-task-outcome';

export interface SubmitTasksOptions {
  calls: EcsCalls;
  clock: Clock;
  limiter: RateLimiter;
  /** RunTask calls in flight at once. */
  concurrency: number;
  /** Sends of one RunTask, the first included, all with the same clientToken. */
  attempts: number;
  /** Pause before the second send; doubled for each later one. */
  retryBaseMs: number;
}

/**
 * One RunTask per spec, at most `concurrency` at once and no faster than
 * the limiter. RunTask is idempotent by clientToken, so a send that was
 * throttled, failed with 5xx or lost its connection is sent again with the
 * same token (ECS starts the task at most once); what is still unsettled
 * after `attempts` is `uncertain` (if any send may have taken effect) or
 * `notSubmitted`. After a spec ends `notSubmitted`, specs not started yet
 * are not sent either (the account or cluster is refusing everything).
 */
export async function submitEcsTasks(
  specs: readonly SubmitSpec[],
  settings: RunTaskSettings,
  o: SubmitTasksOptions,
  signal?: AbortSignal,
): Promise<Map<string, SubmitOutcome>> {
  let stopped: string | null = null;
  const outcomes = await mapBounded(specs, o.concurrency, async (spec): Promise<SubmitOutcome> => {
    if (stopped === null && signal?.aborted)
      stopped = 'the submission was abandoned before this task was sent';
    if (stopped !== null) return { kind: 'notSubmitted', message: stopped };
    const outcome = await submitOne(spec, settings, o, signal);
    if (outcome.kind === 'notSubmitted')
      stopped ??= `not sent after an earlier task could not be: ${outcome.message}`;
    return outcome;
  });
  return new Map(specs.map((s, i) => [s.tag, outcomes[i]!]));
}

async function submitOne(
  spec: SubmitSpec,
  settings: RunTaskSettings,
  o: SubmitTasksOptions,
  signal?: AbortSignal,
): Promise<SubmitOutcome> {
  const built = runTaskInput(spec, settings);
  if (!built.ok) return { kind: 'rejected', error: built.error };
  let mayExist: string | null = null;
  let last: SubmitOutcome = { kind: 'notSubmitted', message: 'not sent' };
  for (let attempt = 1; attempt <= o.attempts; attempt++) {
    if (attempt > 1 && !(await pause(o.clock, o.retryBaseMs * 2 ** (attempt - 2), signal))) break;
    try {
      await o.limiter.take(signal);
    } catch {
      break;
    }
    try {
      const out = await o.calls.api.runTask(built.input, signal);
      o.calls.tracker.succeeded();
      return runTaskOutcome(out);
    } catch (e) {
      const conflict = conflictTask(e);
      if (conflict !== null) return { kind: 'submitted', schedulerJobId: conflict, warnings: null };
      if (awsFailureOf(e).code === 'ClusterNotFoundException')
        return { kind: 'notSubmitted', message: o.calls.clusterNotFound().message };
      last = submitOutcomeOf(e, o.calls.tracker.failed(e, 'ecs:RunTask'));
      if (last.kind === 'uncertain') mayExist = last.message;
      const kind = awsFailureOf(e).kind;
      if (kind !== 'throttled' && kind !== 'server' && kind !== 'connectionLost') break;
    }
  }
  if (mayExist !== null && last.kind !== 'uncertain')
    return { kind: 'uncertain', message: mayExist };
  if (signal?.aborted && last.kind === 'notSubmitted' && last.message === 'not sent') {
    return {
      kind: 'notSubmitted',
      message: 'the submission was abandoned before this task was sent',
    };
  }
  return last;
}

/** ConflictException on a token already used names the task it started (model: ConflictException.resourceIds). */
function conflictTask(e: unknown): string | null {
  if (awsFailureOf(e).code !== 'ConflictException') return null;
  const ids = (e as { resourceIds?: unknown }).resourceIds;
  const first = Array.isArray(ids) && typeof ids[0] === 'string' ? ids[0] : null;
  return first === null ? null : first.slice(first.lastIndexOf('/') + 1);
}

async function pause(clock: Clock, ms: number, signal?: AbortSignal): Promise<boolean> {
  try {
    await clock.sleep(ms, signal);
    return true;
  } catch {
    return false;
  }
}
