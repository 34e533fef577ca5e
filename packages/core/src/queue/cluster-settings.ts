import type { ClusterConfig } from '../config/schema';
import type { ClusterSubmitSettings } from './task-record';

/** Queue-related settings of a configured cluster: where logs go, default partition and account, and its cap. */
export function clusterQueueSettings(cluster: ClusterConfig): { settings: ClusterSubmitSettings; maxConcurrent: number | null } {
  switch (cluster.type) {
    case 'slurm':
      return {
        settings: { logDir: cluster.log_dir, partition: cluster.partition ?? null, account: cluster.account ?? null },
        maxConcurrent: null,
      };
    case 'local':
      return { settings: { logDir: cluster.log_dir, partition: null, account: null }, maxConcurrent: cluster.max_concurrent };
    case 'ecs':
      return { settings: { logDir: '~/.cache/scripthut/logs', partition: null, account: null }, maxConcurrent: null };
  }
}
