import { describe, expect, it } from 'vitest';
import {
  clusterKindLabel,
  hasDefaultPartition,
  logLocationLabel,
  partitionLabel,
} from './cluster-words';

const KINDS = ['slurm', 'batch', 'ecs', 'local'] as const;

describe('cluster words', () => {
  it('names each scheduler as its vendor does', () => {
    expect(KINDS.map(clusterKindLabel)).toEqual(['Slurm', 'AWS Batch', 'Amazon ECS', 'Local']);
  });

  it('calls the partition field what it holds on each kind', () => {
    expect(KINDS.map(partitionLabel)).toEqual([
      'Partition',
      'Job queue',
      'Launch type',
      'Partition',
    ]);
    expect(partitionLabel(null)).toBe('Partition');
    expect(KINDS.map(hasDefaultPartition)).toEqual([true, false, false, false]);
  });

  it('splits a CloudWatch location into its group and stream at the first colon', () => {
    expect(logLocationLabel('ecs', '/ecs/worker:ecs/main/abc123')).toEqual({
      text: 'log group /ecs/worker · stream ecs/main/abc123',
      title: 'CloudWatch Logs group and stream',
    });
    expect(logLocationLabel('batch', '/aws/batch/job:jd/default/f00').text).toBe(
      'log group /aws/batch/job · stream jd/default/f00',
    );
  });

  it('shows a file path as it is, even one with a colon', () => {
    expect(logLocationLabel('slurm', '/home/u/logs/a:b.out')).toEqual({
      text: '/home/u/logs/a:b.out',
      title: 'File on the cluster',
    });
    expect(logLocationLabel('batch', 'no-colon').text).toBe('no-colon');
  });
});
