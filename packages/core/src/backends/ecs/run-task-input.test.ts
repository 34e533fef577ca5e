import { describe, expect, it } from 'vitest';
import type { SubmitSpec } from '../backend';
import { runTaskInput, type RunTaskSettings } from './run-task-input';

const spec = (over: Partial<SubmitSpec> = {}): SubmitSpec => ({
  tag: 'sh-1a2b3c4d-3-0badcafe',
  name: 'Align sample 3',
  command: 'python align.py --sample "3"',
  workingDir: null,
  cpus: 1,
  memory: '3000M',
  timeLimit: '0:10:00',
  partition: null,
  account: null,
  stdoutPath: null,
  stderrPath: null,
  ...over,
});

const FARGATE: RunTaskSettings = {
  cluster: 'jobs',
  taskDefinition: 'worker:7',
  container: 'main',
  launchType: 'FARGATE',
  capacityProviderStrategy: null,
  network: { subnets: ['subnet-1'], security_groups: ['sg-1'], assign_public_ip: false },
  fargate: true,
  user: 'ana.lopez',
};

describe('runTaskInput', () => {
  it('sends one Fargate task with its token, owner, tags, command and sizes', () => {
    expect(runTaskInput(spec(), FARGATE)).toEqual({
      ok: true,
      input: {
        cluster: 'jobs',
        taskDefinition: 'worker:7',
        count: 1,
        clientToken: 'sh-1a2b3c4d-3-0badcafe',
        startedBy: 'scripthut/ana_lopez',
        tags: [
          { key: 'scripthut:tag', value: 'sh-1a2b3c4d-3-0badcafe' },
          { key: 'scripthut:user', value: 'ana.lopez' },
          { key: 'scripthut:time-limit-seconds', value: '600' },
        ],
        launchType: 'FARGATE',
        networkConfiguration: {
          awsvpcConfiguration: {
            subnets: ['subnet-1'],
            securityGroups: ['sg-1'],
            assignPublicIp: 'DISABLED',
          },
        },
        overrides: {
          containerOverrides: [
            {
              name: 'main',
              command: ['bash', '-c', 'python align.py --sample "3"'],
              environment: [
                { name: 'SCRIPTHUT_TAG', value: 'sh-1a2b3c4d-3-0badcafe' },
                { name: 'SCRIPTHUT_JOB_NAME', value: 'Align sample 3' },
              ],
              cpu: 1024,
              memory: 3000,
            },
          ],
          cpu: '1024',
          memory: '3072',
        },
      },
    });
  });

  it('enters a working directory through positional arguments, never by splicing it into the script', () => {
    const r = runTaskInput(
      spec({ workingDir: "/data/it's here", command: 'ls; rm -rf "$1"' }),
      FARGATE,
    );
    expect(r.ok && r.input.overrides?.containerOverrides?.[0]?.command).toEqual([
      'bash',
      '-c',
      'cd -- "$1" && exec bash -c "$2"',
      'scripthut',
      "/data/it's here",
      'ls; rm -rf "$1"',
    ]);
  });

  it('sends a capacity provider strategy instead of a launch type, and no task size off Fargate', () => {
    const r = runTaskInput(spec({ cpus: 3, memory: '5G' }), {
      ...FARGATE,
      launchType: null,
      capacityProviderStrategy: [{ capacity_provider: 'spot-asg', weight: 2 }],
      network: null,
      fargate: false,
    });
    expect(r.ok && r.input).toMatchObject({
      capacityProviderStrategy: [{ capacityProvider: 'spot-asg', weight: 2 }],
    });
    expect(r.ok && r.input.launchType).toBeUndefined();
    expect(r.ok && r.input.networkConfiguration).toBeUndefined();
    expect(r.ok && r.input.overrides).toEqual({
      containerOverrides: [expect.objectContaining({ cpu: 3072, memory: 5120 })],
    });
  });

  it('has no time-limit tag for UNLIMITED, and no user tag for a name tags cannot hold', () => {
    const r = runTaskInput(spec({ timeLimit: 'UNLIMITED' }), { ...FARGATE, user: 'ana#1' });
    expect(r.ok && r.input.tags).toEqual([
      { key: 'scripthut:tag', value: 'sh-1a2b3c4d-3-0badcafe' },
    ]);
    expect(r.ok && r.input.startedBy).toBe('scripthut/ana_1');
  });

  it('refuses a size Fargate does not offer, in its words', () => {
    expect(runTaskInput(spec({ cpus: 3 }), FARGATE)).toEqual({
      ok: false,
      error: 'Fargate runs tasks with 1, 2, 4, 8 or 16 vCPUs, not 3',
    });
  });
});
