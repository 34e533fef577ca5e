import { describe, expect, it } from 'vitest';
import { clusterKindLabel } from './cluster-kind-label';

describe('clusterKindLabel', () => {
  it('names each scheduler as its vendor does', () => {
    expect((['slurm', 'batch', 'ecs', 'local'] as const).map(clusterKindLabel)).toEqual([
      'Slurm',
      'AWS Batch',
      'Amazon ECS',
      'Local',
    ]);
  });
});
