import { describe, expect, it } from 'vitest';
import { classifyStoppedTask } from './classify-stopped-task';
import { stopped, task } from './ecs-task-fixtures';

const OOM = 'OutOfMemoryError: Container killed due to memory usage';

describe('classifyStoppedTask', () => {
  it.each([
    ['exit 0', stopped({ exitCode: 0 }), 'COMPLETED', 0, null],
    ['exit 3', stopped({ exitCode: 3 }), 'FAILED', 3, 'Essential container in task exited'],
    [
      'a cancel from ScriptHut',
      stopped({
        stopCode: 'UserInitiated',
        stoppedReason: 'Cancelled from ScriptHut by ana',
        exitCode: 143,
      }),
      'CANCELLED',
      143,
      'Cancelled from ScriptHut by ana',
    ],
    [
      'a stop by someone else',
      stopped({ stopCode: 'UserInitiated', stoppedReason: 'Task stopped by user', exitCode: 143 }),
      'CANCELLED',
      143,
      'Task stopped by user',
    ],
    [
      'OOM with exit 137',
      stopped({ exitCode: 137, containerReason: OOM }),
      'OUT_OF_MEMORY',
      137,
      `Essential container in task exited; main: ${OOM}`,
    ],
    [
      'OOM with exit 0',
      stopped({ exitCode: 0, containerReason: OOM }),
      'OUT_OF_MEMORY',
      0,
      `Essential container in task exited; main: ${OOM}`,
    ],
    [
      'a failed image pull',
      stopped({
        stopCode: 'TaskFailedToStart',
        stoppedReason:
          'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref docker.io/library/nope:latest',
        startedAt: undefined,
      }),
      'BOOT_FAIL',
      null,
      'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref docker.io/library/nope:latest',
    ],
    [
      'a start error in the container reason',
      stopped({
        stopCode: 'EssentialContainerExited',
        containerReason: 'CannotStartContainerError: failed to initialize logging driver',
      }),
      'BOOT_FAIL',
      null,
      'Essential container in task exited; main: CannotStartContainerError: failed to initialize logging driver',
    ],
    [
      'a Spot interruption',
      stopped({
        stopCode: 'SpotInterruption',
        stoppedReason: 'Your Spot Task was interrupted.',
        exitCode: 143,
      }),
      'NODE_FAIL',
      143,
      'Your Spot Task was interrupted.',
    ],
    [
      'a termination notice',
      stopped({
        stopCode: 'TerminationNotice',
        stoppedReason: 'Task stopped due to instance retirement',
      }),
      'NODE_FAIL',
      null,
      'Task stopped due to instance retirement',
    ],
    [
      'infrastructure health',
      stopped({
        stopCode: 'InfrastructureHealth',
        stoppedReason: 'Task stopped due to host health',
      }),
      'NODE_FAIL',
      null,
      'Task stopped due to host health',
    ],
    [
      'a terminated host',
      stopped({ stopCode: undefined, stoppedReason: 'Host EC2 (instance i-0abc) terminated.' }),
      'NODE_FAIL',
      null,
      'Host EC2 (instance i-0abc) terminated.',
    ],
    [
      "ScriptHut's time limit",
      stopped({
        stopCode: 'UserInitiated',
        stoppedReason: 'ScriptHut: time limit 0:10:00 exceeded',
        exitCode: 143,
      }),
      'TIMEOUT',
      143,
      'ScriptHut: time limit 0:10:00 exceeded',
    ],
    [
      'no exit code',
      stopped({}),
      'FAILED',
      null,
      'Essential container in task exited; no exit code reported',
    ],
    [
      'a service scale-in',
      stopped({
        stopCode: 'ServiceSchedulerInitiated',
        stoppedReason: 'Scaling activity initiated by deployment',
        exitCode: 0,
      }),
      'CANCELLED',
      0,
      'Scaling activity initiated by deployment',
    ],
  ] as const)('classifies %s', (_what, t, outcome, exitCode, reason) => {
    const r = classifyStoppedTask(t, 'main');
    expect(r).toMatchObject({ outcome, exitCode, reason });
  });

  it('names who cancelled from the reason ScriptHut sends, and no one otherwise', () => {
    expect(
      classifyStoppedTask(
        stopped({ stopCode: 'UserInitiated', stoppedReason: 'Cancelled from ScriptHut by ana' }),
        'main',
      )?.cancelledBy,
    ).toBe('ana');
    expect(
      classifyStoppedTask(
        stopped({ stopCode: 'UserInitiated', stoppedReason: 'Task stopped by user' }),
        'main',
      )?.cancelledBy,
    ).toBeNull();
  });

  it("takes ScriptHut's own cancel reason for a cancel even without a stop code", () => {
    const t = stopped({
      stopCode: undefined,
      stoppedReason: 'Cancelled from ScriptHut by ana',
      exitCode: 0,
    });
    expect(classifyStoppedTask(t, 'main')).toMatchObject({
      outcome: 'CANCELLED',
      cancelledBy: 'ana',
      rawState: 'STOPPED',
    });
  });

  it('is null for a task that is still stopping', () => {
    expect(
      classifyStoppedTask(task({ lastStatus: 'DEPROVISIONING', desiredStatus: 'STOPPED' }), 'main'),
    ).toBeNull();
  });

  it('reads the exit code of the container the command ran in, not a sidecar', () => {
    const t = stopped({
      containers: [
        { name: 'sidecar', exitCode: 143 },
        { name: 'main', exitCode: 0 },
      ],
    });
    expect(classifyStoppedTask(t, 'main')).toMatchObject({ outcome: 'COMPLETED', exitCode: 0 });
  });

  it('keeps the task id, times, elapsed and the stop code', () => {
    expect(classifyStoppedTask(stopped({ exitCode: 0 }), null)).toEqual({
      schedulerJobId: '0123456789abcdef0123456789abcdef',
      rawState: 'STOPPED (EssentialContainerExited)',
      outcome: 'COMPLETED',
      exitCode: 0,
      signal: null,
      cancelledBy: null,
      reason: null,
      startTime: '2026-01-01T00:00:30.000Z',
      finishTime: '2026-01-01T00:05:10.000Z',
      elapsed: '0:04:40',
    });
  });
});
