import type { Container, Task } from '@aws-sdk/client-ecs';
import type { JobOutcome } from '../../domain/job';
import type { FinalReport } from '../backend';
import { cancelledByOf, formatDurationSeconds, isTimeLimitStop, taskIdOf } from './ecs-markers';

/** Container reasons of a task that never ran its command (stopped-task-error-codes.html). */
const START_ERRORS =
  /\b(CannotPullContainerError|CannotStartContainerError|ResourceInitializationError|CannotCreateVolumeError|ContainerRuntimeTimeoutError|CannotInspectContainerError)\b/;
/** Capacity taken away under the task: Spot reclaim, instance retirement, host loss. */
const LOST_CAPACITY_CODES: ReadonlySet<string> = new Set([
  'SpotInterruption',
  'TerminationNotice',
  'InfrastructureHealth',
]);
const HOST_LOST =
  /\bHost EC2 \(instance [^)]*\) (?:terminated|stopped)|\b(?:container instance|underlying (?:EC2 )?(?:instance|host)) (?:was )?(?:terminated|lost|unavailable)/i;

/**
 * How a stopped task ended; null while it is not STOPPED (a task between
 * RUNNING and STOPPED has no final exit code yet). The rules, first match:
 * 1. `OutOfMemoryError` in a container reason -> OUT_OF_MEMORY, whatever the
 *    exit code (ECS has reported OOM with exit 137 and with 0);
 * 2. ScriptHut's own time-limit stop (its StopTask reason) -> TIMEOUT;
 * 3. stopCode UserInitiated, or ScriptHut's own cancel reason (whatever the
 *    stop code) -> CANCELLED (who, from that reason); ServiceSchedulerInitiated
 *    -> CANCELLED by the service scheduler;
 * 4. SpotInterruption, TerminationNotice, InfrastructureHealth, host lost -> NODE_FAIL;
 * 5. TaskFailedToStart or an image/start error in a reason -> BOOT_FAIL;
 * 6. else the main container's exit code: 0 -> COMPLETED, N -> FAILED; no
 *    exit code -> FAILED (never assumed 0).
 * AWS's own words (stoppedReason, container reasons) are kept in `reason`.
 * `mainContainer`: the container the command ran in, when known.
 */
export function classifyStoppedTask(
  task: Task,
  mainContainer: string | null,
): Omit<FinalReport, 'stdoutPath'> | null {
  if (task.lastStatus !== 'STOPPED') return null;
  const main = pickMain(task.containers ?? [], mainContainer);
  const exitCode = main?.exitCode ?? null;
  const containerReasons = (task.containers ?? [])
    .filter((c) => c.reason)
    .map((c) => `${c.name ?? 'container'}: ${c.reason}`);
  const stopCode = task.stopCode ?? null;
  const words = [task.stoppedReason, ...containerReasons].filter((w): w is string => !!w);
  const allText = words.join('\n');

  let outcome: JobOutcome;
  let cancelledBy: string | null = null;
  if (/OutOfMemoryError/.test(allText)) outcome = 'OUT_OF_MEMORY';
  else if (isTimeLimitStop(task.stoppedReason)) outcome = 'TIMEOUT';
  else if (stopCode === 'UserInitiated' || cancelledByOf(task.stoppedReason) !== null) {
    outcome = 'CANCELLED';
    cancelledBy = cancelledByOf(task.stoppedReason);
  } else if (stopCode === 'ServiceSchedulerInitiated') {
    outcome = 'CANCELLED';
    cancelledBy = 'ECS service scheduler';
  } else if (
    (stopCode !== null && LOST_CAPACITY_CODES.has(stopCode)) ||
    HOST_LOST.test(task.stoppedReason ?? '')
  )
    outcome = 'NODE_FAIL';
  else if (stopCode === 'TaskFailedToStart' || START_ERRORS.test(allText)) outcome = 'BOOT_FAIL';
  else outcome = exitCode === 0 ? 'COMPLETED' : 'FAILED';

  const reason =
    outcome === 'COMPLETED'
      ? null
      : exitCode === null && outcome === 'FAILED'
        ? [...words, 'no exit code reported'].join('; ')
        : words.join('; ') || null;
  const start = task.startedAt ?? null;
  const finish = task.stoppedAt ?? task.executionStoppedAt ?? null;
  return {
    schedulerJobId: taskIdOf(task.taskArn ?? ''),
    rawState: stopCode === null ? 'STOPPED' : `STOPPED (${stopCode})`,
    outcome,
    exitCode,
    signal: null,
    cancelledBy,
    reason,
    startTime: start?.toISOString() ?? null,
    finishTime: finish?.toISOString() ?? null,
    elapsed:
      start !== null && finish !== null
        ? formatDurationSeconds((finish.getTime() - start.getTime()) / 1000)
        : null,
  };
}

/** The named container; else the first that exited non-zero (the one that stopped the task); else the first. */
function pickMain(containers: readonly Container[], name: string | null): Container | undefined {
  return (
    (name === null ? undefined : containers.find((c) => c.name === name)) ??
    containers.find((c) => c.exitCode !== undefined && c.exitCode !== 0) ??
    containers[0]
  );
}
