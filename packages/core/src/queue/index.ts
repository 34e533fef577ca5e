export { QueueService, type QueueServiceDeps, type QueueEvents } from './queue-service';
export type { QueueCluster, TaskMonitor } from './queue-cluster';
export type { QueueStore } from './queue-store';
export type * from './queue-types';
export { TASK_STATES } from './queue-types';
export { planSubmissions, type PlannedSubmission, type PlannerQueue, type PlanLimits } from './plan-submissions';
export { parseTaskSourceOutput, TASK_SOURCE_LIMITS, type TaskIssue, type TaskSourceProblem } from './parse-task-source';
export { fetchTaskSource } from './fetch-task-source';
export { LOG_LIMITS } from '../backends/log-limits';

