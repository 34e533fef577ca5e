import { describe, expect, it } from 'vitest';
import { ECS_TASK_STATUSES, jobStateOfStatus } from './ecs-task-state';

describe('jobStateOfStatus', () => {
  it.each([
    ['PROVISIONING', 'submitted'],
    ['PENDING', 'submitted'],
    ['ACTIVATING', 'running'],
    ['RUNNING', 'running'],
    ['DEACTIVATING', 'finishing'],
    ['STOPPING', 'finishing'],
    ['DEPROVISIONING', 'finishing'],
    ['STOPPED', 'finishing'],
  ] as const)('maps lastStatus %s to %s', (raw, state) => {
    expect(jobStateOfStatus(raw)).toBe(state);
  });

  it('covers every documented lastStatus', () => {
    expect(ECS_TASK_STATUSES).toHaveLength(8);
  });

  it('maps text it does not know, or none, to unknown', () => {
    expect(jobStateOfStatus('HIBERNATING')).toBe('unknown');
    expect(jobStateOfStatus(undefined)).toBe('unknown');
  });

  it('never calls a live task completed', () => {
    for (const s of ECS_TASK_STATUSES)
      expect(['completed', 'failed']).not.toContain(jobStateOfStatus(s));
  });
});
