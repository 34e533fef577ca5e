import type { AppRouter } from '@scripthut/api';
import type { inferRouterOutputs } from '@trpc/server';

/**
 * Queue shapes as the API returns them, inferred from the router so the SPA
 * never imports core's runtime module (only its browser-safe domain).
 */
type Outputs = inferRouterOutputs<AppRouter>;

export type QueueSummary = Outputs['queues']['list'][number];
export type QueueStatus = QueueSummary['status'];
export type TaskCounts = QueueSummary['counts'];
export type TaskState = keyof TaskCounts;
export type QueueDetail = Outputs['queues']['get'];
export type QueueTask = QueueDetail['tasks'][number];
export type QueueCancelResult = Outputs['queues']['cancel'];
export type TaskCancelOutcome = Outputs['queues']['cancelTask'];
export type TaskSourceInfo = Outputs['taskSources']['list'][number];
export type DryRunResult = Outputs['taskSources']['dryRun'];
export type DryRunTask = DryRunResult['tasks'][number];

export const queuePath = (id: string): string => `/queues/${encodeURIComponent(id)}`;
export const taskPath = (queueId: string, taskId: string): string =>
  `${queuePath(queueId)}/tasks/${encodeURIComponent(taskId)}`;
export const dryRunPath = (source: string): string =>
  `/task-sources/${encodeURIComponent(source)}/dry-run`;
