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
