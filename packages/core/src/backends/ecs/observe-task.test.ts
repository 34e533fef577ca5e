import { describe, expect, it } from 'vitest';
import { task } from './ecs-task-fixtures';
import { observeTask, waitReason } from './observe-task';
import { taskMarks } from './task-marks';

const NOW = new Date('2026-01-01T00:10:00Z');

describe('observeTask', () => {
  it('shows a task ScriptHut ran with its name, owner, limit, command and log', () => {
    const t = task({
      startedBy: 'scripthut/ana_lopez',
      tags: [
        { key: 'scripthut:tag', value: 'sh-q-1-ab' },
        { key: 'scripthut:user', value: 'ana.lopez' },
        { key: 'scripthut:time-limit-seconds', value: '3600' },
      ],
      overrides: {
        containerOverrides: [
          {
            name: 'main',
            command: [
              'bash',
              '-c',
              'cd -- "$1" && exec bash -c "$2"',
              'scripthut',
              '/work',
              'make all',
            ],
            environment: [
              { name: 'SCRIPTHUT_TAG', value: 'sh-q-1-ab' },
              { name: 'SCRIPTHUT_JOB_NAME', value: 'Build' },
            ],
          },
        ],
      },
    });
    expect(
      observeTask(t, taskMarks(t), NOW, '/ecs/worker:ecs/main/0123456789abcdef0123456789abcdef'),
    ).toEqual({
      schedulerJobId: '0123456789abcdef0123456789abcdef',
      name: 'Build',
      user: 'ana.lopez',
      rawState: 'RUNNING',
      state: 'running',
      reason: null,
      partition: 'FARGATE',
      cpus: 1,
      memory: '4096M',
      nodes: null,
      timeUsed: '0:09:30',
      timeLimit: '1:00:00',
      submitTime: '2026-01-01T00:00:00.000Z',
      startTime: '2026-01-01T00:00:30.000Z',
      workDir: '/work',
      command: 'make all',
      stdoutPath: '/ecs/worker:ecs/main/0123456789abcdef0123456789abcdef',
      stderrPath: null,
    });
  });

  it("shows anyone else's task with its startedBy, else its group, and its definition as name", () => {
    const svc = task({ startedBy: 'ecs-svc/5397081536466347233', group: 'service:web' });
    expect(observeTask(svc, taskMarks(svc), NOW, null)).toMatchObject({
      user: 'ecs-svc/5397081536466347233',
      name: 'worker:7',
      command: null,
    });
    const plain = task({ group: 'family:worker', cpu: '512', memory: '1024' });
    expect(observeTask(plain, taskMarks(plain), NOW, null)).toMatchObject({
      user: 'family:worker',
      cpus: null,
      memory: '1024M',
    });
  });

  it('recognises a stopped task of ScriptHut by its environment when StopTask removed the tags', () => {
    const t = task({
      overrides: {
        containerOverrides: [
          { name: 'main', environment: [{ name: 'SCRIPTHUT_TAG', value: 'sh-q-2-cd' }] },
        ],
      },
    });
    expect(taskMarks(t).tag).toBe('sh-q-2-cd');
  });
});

describe('waitReason', () => {
  it.each([
    [
      'waiting for capacity',
      task({
        lastStatus: 'PROVISIONING',
        capacityProviderName: 'FARGATE_SPOT',
        startedAt: undefined,
      }),
      'waiting for capacity from capacity provider FARGATE_SPOT (waiting 0:10:00)',
    ],
    [
      'a network interface being made',
      task({
        lastStatus: 'PROVISIONING',
        createdAt: new Date('2026-01-01T00:09:50Z'),
        attachments: [{ type: 'ElasticNetworkInterface', status: 'PRECREATED' }],
      }),
      'provisioning: network interface PRECREATED',
    ],
    [
      'a long PENDING on Fargate',
      task({ lastStatus: 'PENDING' }),
      'waiting to be started by Fargate (waiting 0:10:00)',
    ],
    [
      'an image pull',
      task({ lastStatus: 'ACTIVATING', pullStartedAt: new Date('2026-01-01T00:09:00Z') }),
      'pulling the container image',
    ],
    [
      'a stop on its way',
      task({
        lastStatus: 'DEACTIVATING',
        desiredStatus: 'STOPPED',
        stoppedReason: 'Cancelled from ScriptHut by ana',
      }),
      'stopping: Cancelled from ScriptHut by ana',
    ],
    ['nothing to say while running', task(), null],
  ])('says %s', (_what, t, reason) => {
    expect(waitReason(t, NOW)).toBe(reason);
  });
});
