import type { Task } from '@aws-sdk/client-ecs';
import type { ObservedJob } from '../backend';
import { formatDurationSeconds, taskIdOf } from './ecs-markers';
import { jobStateOfStatus } from './ecs-task-state';
import type { TaskMarks } from './task-marks';

/** A wait this long in PROVISIONING/PENDING is shown with its duration. */
const LONG_WAIT_SECONDS = 60;

/**
 * One live task as the dashboard shows it. Owner: ScriptHut's user tag or
 * startedBy for tasks ScriptHut ran; for anyone else's, their `startedBy`
 * (services: `ecs-svc/…`), else their `group` (`family:<name>`).
 * `logLocation`: `<group>:<stream>` of the task's output, null when unknown.
 */
export function observeTask(
  task: Task,
  marks: TaskMarks,
  now: Date,
  logLocation: string | null,
): ObservedJob {
  const id = taskIdOf(task.taskArn ?? '');
  const override = task.overrides?.containerOverrides?.find(
    (o) => o.cpu !== undefined || o.memory !== undefined,
  );
  const cpuUnits = numberOr(task.cpu, override?.cpu);
  const mib = numberOr(task.memory, override?.memory);
  return {
    schedulerJobId: id,
    name: marks.name ?? definitionName(task.taskDefinitionArn) ?? id,
    user: marks.user ?? (task.startedBy || task.group || 'unknown'),
    rawState: task.lastStatus ?? 'UNKNOWN',
    state: jobStateOfStatus(task.lastStatus),
    reason: waitReason(task, now),
    partition: task.capacityProviderName ?? task.launchType ?? null,
    cpus: cpuUnits !== null && cpuUnits % 1024 === 0 ? cpuUnits / 1024 : null,
    memory: mib === null ? null : `${mib}M`,
    nodes: task.containerInstanceArn ? taskIdOf(task.containerInstanceArn) : null,
    timeUsed: task.startedAt
      ? formatDurationSeconds((now.getTime() - task.startedAt.getTime()) / 1000)
      : null,
    timeLimit:
      marks.timeLimitSeconds === null ? null : formatDurationSeconds(marks.timeLimitSeconds),
    submitTime: task.createdAt?.toISOString() ?? null,
    startTime: task.startedAt?.toISOString() ?? null,
    workDir: marks.workDir,
    command: marks.command,
    stdoutPath: logLocation,
    stderrPath: null,
  };
}

/**
 * Why a task is not running yet, or why it is ending, in words. ECS gives
 * no pending reason of its own; what it does say is its capacity provider,
 * its network attachment's status and its image pull times.
 */
export function waitReason(task: Task, now: Date): string | null {
  if (task.desiredStatus === 'STOPPED' && task.lastStatus !== 'STOPPED') {
    return task.stoppedReason ? `stopping: ${task.stoppedReason}` : 'stopping';
  }
  const waited = task.createdAt ? (now.getTime() - task.createdAt.getTime()) / 1000 : 0;
  const forHowLong =
    waited >= LONG_WAIT_SECONDS ? ` (waiting ${formatDurationSeconds(waited)})` : '';
  switch (task.lastStatus) {
    case 'PROVISIONING': {
      if (task.capacityProviderName)
        return `waiting for capacity from capacity provider ${task.capacityProviderName}${forHowLong}`;
      const eni = task.attachments?.find(
        (a) => a.type === 'ElasticNetworkInterface' || a.type === 'eni',
      );
      return `provisioning${eni?.status ? `: network interface ${eni.status}` : ''}${forHowLong}`;
    }
    case 'PENDING':
      return `waiting to be started${task.launchType === 'FARGATE' ? ' by Fargate' : ' by the container agent'}${forHowLong}`;
    case 'ACTIVATING':
      return task.pullStartedAt && !task.pullStoppedAt
        ? 'pulling the container image'
        : 'starting the containers';
    default:
      return null;
  }
}

/** `arn:…:task-definition/<family>:<revision>` -> `<family>:<revision>`. */
const definitionName = (arn: string | undefined): string | null =>
  arn ? arn.slice(arn.lastIndexOf('/') + 1) : null;

function numberOr(text: string | undefined, fallback: number | undefined): number | null {
  const n = text === undefined ? Number.NaN : Number(text);
  if (Number.isFinite(n) && n > 0) return n;
  return fallback ?? null;
}
