import type { Task } from '@aws-sdk/client-ecs';
import { mapBounded } from '../aws';
import type { EcsCalls } from './ecs-calls';
import { taskIdOf, timeLimitStopReason } from './ecs-markers';
import { taskMarks } from './task-marks';

export interface OverdueTask {
  arn: string;
  id: string;
  reason: string;
}

/**
 * ScriptHut's tasks still meant to run (desired RUNNING) that have run
 * longer than their `scripthut:time-limit-seconds` since `startedAt`. ECS
 * has no time limit of its own; the poll that sees one past it stops it.
 */
export function overdueTasks(tasks: readonly Task[], now: Date): OverdueTask[] {
  const out: OverdueTask[] = [];
  for (const t of tasks) {
    const limit = taskMarks(t).timeLimitSeconds;
    if (limit === null || t.desiredStatus !== 'RUNNING' || !t.startedAt || !t.taskArn) continue;
    if (now.getTime() - t.startedAt.getTime() > limit * 1000) {
      out.push({ arn: t.taskArn, id: taskIdOf(t.taskArn), reason: timeLimitStopReason(limit) });
    }
  }
  return out;
}

/**
 * StopTask for each overdue task with the reason finalReports reads as
 * TIMEOUT. A failed stop is logged and tried again at the next poll (the task
 * is still desired RUNNING); it never fails the poll. Returns id -> reason
 * of the stops ECS accepted.
 */
export async function stopOverdue(
  overdue: readonly OverdueTask[],
  calls: EcsCalls,
  log: (m: string) => void,
): Promise<Map<string, string>> {
  const stopped = new Map<string, string>();
  await mapBounded(overdue, 5, async (t) => {
    try {
      await calls.call('ecs:StopTask', () =>
        calls.api.stopTask({ cluster: calls.cluster, task: t.arn, reason: t.reason }),
      );
      stopped.set(t.id, t.reason);
    } catch (e) {
      log(
        `could not stop task ${t.id} past its time limit (tried again next poll): ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  });
  return stopped;
}
