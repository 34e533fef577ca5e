import { describe, expect, it } from 'vitest';
import { runTaskFailureOutcome, runTaskOutcome } from './run-task-outcome';

describe('runTaskFailureOutcome', () => {
  it.each([
    ['RESOURCE:MEMORY', undefined, 'notSubmitted'],
    ['RESOURCE:CPU', undefined, 'notSubmitted'],
    ['AGENT', undefined, 'notSubmitted'],
    [
      'Capacity is unavailable at this time. Please try again later or in a different availability zone',
      undefined,
      'notSubmitted',
    ],
    ['ATTRIBUTE', 'no container instance met all of its requirements', 'rejected'],
    ['MISSING', undefined, 'rejected'],
    ['SOMETHING NEW', undefined, 'rejected'],
  ] as const)('treats %s as %s', (reason, detail, kind) => {
    expect(runTaskFailureOutcome({ reason, ...(detail ? { detail } : {}) }).kind).toBe(kind);
  });

  it("keeps AWS's words", () => {
    expect(runTaskFailureOutcome({ reason: 'ATTRIBUTE', detail: 'no match' })).toEqual({
      kind: 'rejected',
      error: 'ECS did not start the task: ATTRIBUTE (no match)',
    });
  });
});

describe('runTaskOutcome', () => {
  const $metadata = {};
  it('takes the task id of the started task', () => {
    expect(
      runTaskOutcome({
        $metadata,
        tasks: [{ taskArn: 'arn:aws:ecs:us-east-1:1:task/jobs/abc' }],
        failures: [],
      }),
    ).toEqual({
      kind: 'submitted',
      schedulerJobId: 'abc',
      warnings: null,
    });
  });

  it('is uncertain for an answer with neither a task nor a failure', () => {
    expect(runTaskOutcome({ $metadata, tasks: [], failures: [] }).kind).toBe('uncertain');
  });
});
