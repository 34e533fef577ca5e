import type { ClusterConfig } from '../config';
import type { ClusterDeps, ClusterRuntime } from './cluster-runtime';
import { createBatchCluster } from './batch/create-batch-cluster';
import { createEcsCluster } from './ecs/create-ecs-cluster';
import { createLocalCluster } from './local/create-local-cluster';
import { createSlurmCluster } from './slurm/create-slurm-cluster';

/** The one switch over cluster kinds: each kind's folder has its factory. */
export function createCluster(cluster: ClusterConfig, deps: ClusterDeps): ClusterRuntime {
  switch (cluster.type) {
    case 'local':
      return createLocalCluster(cluster, deps);
    case 'slurm':
      return createSlurmCluster(cluster, deps);
    case 'batch':
      return createBatchCluster(cluster, deps);
    case 'ecs':
      return createEcsCluster(cluster, deps);
  }
}
