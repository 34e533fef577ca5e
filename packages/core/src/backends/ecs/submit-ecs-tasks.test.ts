import type { RunTaskCommandInput, RunTaskCommandOutput } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../runtime/fake-clock';
import type { SubmitSpec } from '../backend';
import { ConnectionTracker, RateLimiter } from '../aws';
import { sdkError, socketError } from '../aws/testing';
import type { EcsApi } from './ecs-api';
import { EcsCalls } from './ecs-calls';
import type { RunTaskSettings } from './run-task-input';
import { submitEcsTasks } from './submit-ecs-tasks';

const SETTINGS: RunTaskSettings = {
  cluster: 'jobs',
  taskDefinition: 'worker',
  container: 'main',
  launchType: 'EC2',
  capacityProviderStrategy: null,
  network: null,
  fargate: false,
  user: 'ana',
};
const spec = (n: number): SubmitSpec => ({
  tag: `sh-q-${n}-00000000`,
  name: `t${n}`,
  command: 'true',
  workingDir: null,
  cpus: 1,
  memory: '1G',
  timeLimit: '10',
  partition: null,
  account: null,
  stdoutPath: null,
  stderrPath: null,
});

/** RunTask answers scripted per call; every call's input is kept. */
function scripted(answers: (Error | 'ok')[]): { api: EcsApi; sent: RunTaskCommandInput[] } {
  const sent: RunTaskCommandInput[] = [];
  const fail = (): Promise<never> => Promise.reject(new Error('not used'));
  const api: EcsApi = {
    listTasks: fail,
    describeTasks: fail,
    describeTaskDefinition: fail,
    stopTask: fail,
    runTask: (input) => {
      sent.push(input);
      const a = answers.shift() ?? 'ok';
      if (a !== 'ok') return Promise.reject(a);
      const out: RunTaskCommandOutput = {
        $metadata: {},
        tasks: [{ taskArn: `arn:aws:ecs:us-east-1:1:task/jobs/t${sent.length}` }],
        failures: [],
      };
      return Promise.resolve(out);
    },
  };
  return { api, sent };
}

async function run(answers: (Error | 'ok')[], specs: SubmitSpec[], attempts = 3) {
  const clock = new FakeClock();
  const { api, sent } = scripted(answers);
  const calls = new EcsCalls(
    api,
    new ConnectionTracker('Amazon ECS', { region: 'us-east-1' }),
    'jobs',
    'us-east-1',
  );
  const done = submitEcsTasks(specs, SETTINGS, {
    calls,
    clock,
    limiter: new RateLimiter(1000, clock, 100),
    concurrency: 1,
    attempts,
    retryBaseMs: 100,
  });
  for (let i = 0; i < 20; i++) await clock.advance(1_000);
  return { out: await done, sent };
}

const server500 = (): Error => sdkError('ServerException', 'boom', 500, 'server');
const throttled = (): Error => sdkError('ThrottlingException', 'Rate exceeded', 400);

describe('submitEcsTasks', () => {
  it('sends again with the same clientToken after a 5xx and a reset connection', async () => {
    const { out, sent } = await run([server500(), socketError('ECONNRESET')], [spec(1)]);
    expect(out.get(spec(1).tag)).toEqual({
      kind: 'submitted',
      schedulerJobId: 't3',
      warnings: null,
    });
    expect(sent.map((s) => s.clientToken)).toEqual([spec(1).tag, spec(1).tag, spec(1).tag]);
  });

  it('stays uncertain when a send that may have launched is followed by throttled ones', async () => {
    const { out } = await run([server500(), throttled(), throttled()], [spec(1)]);
    expect(out.get(spec(1).tag)?.kind).toBe('uncertain');
  });

  it('is notSubmitted when every send was throttled, and sends none of the rest', async () => {
    const { out, sent } = await run([throttled(), throttled(), throttled()], [spec(1), spec(2)]);
    expect(out.get(spec(1).tag)?.kind).toBe('notSubmitted');
    expect(out.get(spec(2).tag)?.kind).toBe('notSubmitted');
    expect(sent).toHaveLength(3);
  });

  it('takes a ConflictException naming the task as submitted', async () => {
    const conflict = Object.assign(sdkError('ConflictException', 'token in use', 400), {
      resourceIds: ['arn:aws:ecs:us-east-1:1:task/jobs/abc'],
    });
    const { out } = await run([server500(), conflict], [spec(1)]);
    expect(out.get(spec(1).tag)).toEqual({
      kind: 'submitted',
      schedulerJobId: 'abc',
      warnings: null,
    });
  });

  it('rejects a refused request at once, without sending it again', async () => {
    const { out, sent } = await run(
      [sdkError('InvalidParameterException', 'TaskDefinition is inactive', 400)],
      [spec(1), spec(2)],
    );
    expect(out.get(spec(1).tag)).toEqual({
      kind: 'rejected',
      error:
        'Amazon ECS refused ecs:RunTask: InvalidParameterException: TaskDefinition is inactive',
    });
    expect(out.get(spec(2).tag)?.kind).toBe('submitted');
    expect(sent).toHaveLength(2);
  });
});
