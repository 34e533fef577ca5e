import type { ClusterKind } from '@scripthut/core/domain';

const KIND_LABEL = {
  slurm: 'Slurm',
  batch: 'AWS Batch',
  ecs: 'Amazon ECS',
  local: 'Local',
} as const satisfies Record<ClusterKind, string>;

/** The scheduler a cluster card names, in the vendor's own words. */
export function clusterKindLabel(kind: ClusterKind): string {
  return KIND_LABEL[kind];
}

/** What a job's `partition` holds on each kind: Batch stores the job queue, ECS the launch type. */
const PARTITION_LABEL = {
  slurm: 'Partition',
  batch: 'Job queue',
  ecs: 'Launch type',
  local: 'Partition',
} as const satisfies Record<ClusterKind, string>;

/** `null` kind: the cluster is not (or no longer) configured; Slurm's word is the old default. */
export function partitionLabel(kind: ClusterKind | null): string {
  return kind === null ? 'Partition' : PARTITION_LABEL[kind];
}

/** Only Slurm has a default partition to fall back to; elsewhere an absent value is just absent. */
export function hasDefaultPartition(kind: ClusterKind | null): boolean {
  return kind === null || kind === 'slurm';
}

/** AWS kinds log to CloudWatch Logs; Slurm and local jobs to files. */
export function logsInCloudWatch(kind: ClusterKind | null): boolean {
  return kind === 'batch' || kind === 'ecs';
}

/**
 * A log location as shown beside a log. AWS backends store `<group>:<stream>`
 * (neither name can hold `:`, so the first `:` splits them); files are shown as they are.
 */
export function logLocationLabel(
  kind: ClusterKind | null,
  location: string,
): { text: string; title: string } {
  const i = location.indexOf(':');
  if (logsInCloudWatch(kind) && i > 0 && i < location.length - 1) {
    return {
      text: `log group ${location.slice(0, i)} · stream ${location.slice(i + 1)}`,
      title: 'CloudWatch Logs group and stream',
    };
  }
  return { text: location, title: 'File on the cluster' };
}
