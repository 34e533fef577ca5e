import type { AwsTestServer } from '@scripthut/aws-testbed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterRuntime } from '../cluster-runtime';
import {
  ecsCluster,
  emptyAwsFiles,
  KEYS,
  spec,
  startEcsTestbed,
  type ClusterOptions,
} from './ecs-testbed';

/** Backend.connection() from what the last ECS calls answered, each problem with how to fix it. */
let server: AwsTestServer;
const open: ClusterRuntime[] = [];
const make = (o: ClusterOptions = {}): ClusterRuntime => {
  const c = ecsCluster(server, o);
  open.push(c);
  return c;
};

beforeAll(async () => {
  server = await startEcsTestbed({ refusedAccessKeys: { AKIDEXPIRED: 'ExpiredTokenException' } });
});
afterAll(async () => {
  for (const c of open) await c.close?.();
  await server.close();
});

describe('ECS connection status', () => {
  it('is connecting before the first call and connected after a poll', async () => {
    const { backend } = make();
    expect(backend.connection?.()).toEqual({ state: 'connecting', lastError: null });
    await backend.listJobs();
    expect(backend.connection?.()).toEqual({ state: 'connected', lastError: null });
  });

  it('says how to fix missing credentials, without sending anything', async () => {
    server.resetRequestLog();
    const { backend } = make({
      config: {
        aws: { region: 'us-east-1', cluster_name: 'jobs', endpoint: server.url, profile: 'nobody' },
      },
      environment: emptyAwsFiles(),
    });
    await expect(backend.listJobs()).rejects.toThrow(/no AWS credentials found for profile nobody/);
    expect(backend.connection?.()).toEqual({
      state: 'auth_failed',
      lastError:
        'no AWS credentials found for profile nobody: check ~/.aws/config and ~/.aws/credentials, or run aws sso login --profile nobody',
    });
    const s = spec('true');
    expect((await backend.submitMany([s])).get(s.tag)?.kind).toBe('notSubmitted');
    expect(server.requestLog()).toEqual([]);
  });

  it('names the denied action and the principal', async () => {
    server.denyActions({ actions: ['ecs:ListTasks', 'ecs:RunTask'] });
    try {
      const { backend } = make();
      await expect(backend.listJobs()).rejects.toThrow();
      expect(backend.connection?.()).toEqual({
        state: 'auth_failed',
        lastError: expect.stringMatching(
          /^ecs:ListTasks is not allowed for arn:aws:iam::123456789012:user\/test: add it to the IAM policy/,
        ) as unknown,
      });
      const s = spec('true');
      expect((await backend.submitMany([s])).get(s.tag)).toMatchObject({
        kind: 'notSubmitted',
        message: expect.stringContaining('ecs:RunTask is not allowed') as unknown,
      });
    } finally {
      server.denyActions({ actions: [] });
    }
  });

  it('says the session expired', async () => {
    const { backend } = make({ environment: { ...KEYS, AWS_ACCESS_KEY_ID: 'AKIDEXPIRED' } });
    await expect(backend.listJobs()).rejects.toThrow();
    expect(backend.connection?.()).toMatchObject({
      state: 'auth_failed',
      lastError: expect.stringContaining('expired') as unknown,
    });
  });

  it('reports a cluster that does not exist as unreachable, with how to fix it, for polls and submits', async () => {
    const { backend } = make({
      config: { aws: { region: 'us-east-1', cluster_name: 'nope', endpoint: server.url } },
    });
    await expect(backend.listJobs()).rejects.toThrow('ECS cluster nope not found in us-east-1');
    expect(backend.connection?.()).toEqual({
      state: 'unreachable',
      lastError:
        'ECS cluster nope not found in us-east-1: check aws.cluster_name and aws.region (aws ecs list-clusters --region us-east-1)',
    });
    const s = spec('true');
    expect((await backend.submitMany([s])).get(s.tag)).toMatchObject({
      kind: 'notSubmitted',
      message: expect.stringContaining('ECS cluster nope not found') as unknown,
    });
  });

  it('reports an endpoint nobody listens on as unreachable', async () => {
    const { backend } = make({
      config: {
        aws: { region: 'us-east-1', cluster_name: 'jobs', endpoint: 'http://127.0.0.1:9' },
      },
      tuning: {},
    });
    await expect(backend.listJobs()).rejects.toThrow();
    expect(backend.connection?.()).toMatchObject({
      state: 'unreachable',
      lastError: expect.stringContaining('cannot reach Amazon ECS') as unknown,
    });
  });

  it('never puts a secret in a message', () => {
    for (const c of open)
      expect(JSON.stringify(c.backend.connection?.())).not.toContain('not-checked');
  });
});
