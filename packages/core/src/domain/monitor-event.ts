import type { ClusterStatus } from './cluster';
import type { Job } from './job';

/** What a cluster's monitor publishes after each poll: changed jobs, and the cluster's status. */
export type MonitorEvent =
  | { type: 'jobs'; cluster: string; upserted: Job[]; removed: string[] }
  | { type: 'cluster'; status: ClusterStatus };
