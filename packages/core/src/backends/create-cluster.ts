import type { ClusterConfig } from '../config';
import type { ClusterDeps, ClusterRuntime } from './cluster-runtime';
import { createLocalCluster } from './local/create-local-cluster';
import { createSlurmCluster } from './slurm/create-slurm-cluster';

/** The one switch over cluster kinds: each kind's folder has its factory. Null: this kind cannot run here. */
export function createCluster(cluster: ClusterConfig, deps: ClusterDeps): ClusterRuntime | null {
  switch (cluster.type) {
    case 'local':
      return createLocalCluster(cluster, deps);
    case 'slurm':
      return createSlurmCluster(cluster, deps);
    case 'ecs':
    case 'batch':
      deps.log(`[${cluster.name}] ${cluster.type} clusters are not supported yet; this cluster is not polled.`);
      return null;
  }
}
