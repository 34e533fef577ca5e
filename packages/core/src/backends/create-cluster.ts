import type { ClusterConfig } from '../config';
import type { ClusterDeps, ClusterRuntime } from './cluster-runtime';
import { createBatchCluster } from './batch/create-batch-cluster';
import { createLocalCluster } from './local/create-local-cluster';
import { createSlurmCluster } from './slurm/create-slurm-cluster';

/** The one switch over cluster kinds: each kind's folder has its factory. Null: this kind cannot run here. */
export function createCluster(cluster: ClusterConfig, deps: ClusterDeps): ClusterRuntime | null {
  switch (cluster.type) {
    case 'local':
      return createLocalCluster(cluster, deps);
    case 'slurm':
      return createSlurmCluster(cluster, deps);
    case 'batch':
      return createBatchCluster(cluster, deps);
    case 'ecs':
      deps.log(
        `[${cluster.name}] ECS clusters are not supported yet; this cluster is not polled.`,
      );
      return null;
  }
}
