import type { JobState } from '../../domain/job';

/** Every task `lastStatus` ECS reports, in lifecycle order (task-lifecycle-explanation.html). */
export const ECS_TASK_STATUSES = [
  'PROVISIONING',
  'PENDING',
  'ACTIVATING',
  'RUNNING',
  'DEACTIVATING',
  'STOPPING',
  'DEPROVISIONING',
  'STOPPED',
] as const;
export type EcsTaskStatus = (typeof ECS_TASK_STATUSES)[number];

/**
 * Task `lastStatus` -> dashboard state. Choices:
 * - PROVISIONING (ENI, capacity), PENDING (agent, resources) -> `submitted`:
 *   waiting, nothing of the job has run;
 * - ACTIVATING (image pull, container create) -> `running`: the task holds its
 *   resources, as Slurm CONFIGURING and Batch STARTING do;
 * - DEACTIVATING, STOPPING, DEPROVISIONING -> `finishing`: the containers are
 *   ending, the exit code is not final yet;
 * - STOPPED -> `finishing`, never `completed`: only finalReports classifies a
 *   stopped task (stopCode, exit codes, container reasons).
 */
export const ECS_STATUS_TO_JOB_STATE = {
  PROVISIONING: 'submitted',
  PENDING: 'submitted',
  ACTIVATING: 'running',
  RUNNING: 'running',
  DEACTIVATING: 'finishing',
  STOPPING: 'finishing',
  DEPROVISIONING: 'finishing',
  STOPPED: 'finishing',
} as const satisfies Record<EcsTaskStatus, JobState>;

const KNOWN = new Set<string>(ECS_TASK_STATUSES);
export const isEcsTaskStatus = (raw: string): raw is EcsTaskStatus => KNOWN.has(raw);

/** Dashboard state for a raw `lastStatus`; `unknown` for text we cannot map (kept raw by the caller). */
export function jobStateOfStatus(raw: string | undefined): JobState {
  return raw !== undefined && isEcsTaskStatus(raw) ? ECS_STATUS_TO_JOB_STATE[raw] : 'unknown';
}
