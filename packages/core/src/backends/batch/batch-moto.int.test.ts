import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import {
  BatchClient,
  CreateComputeEnvironmentCommand,
  CreateJobQueueCommand,
  RegisterJobDefinitionCommand,
} from '@aws-sdk/client-batch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsTestServer } from '@scripthut/aws-testbed';
import { batchClusterFor, spec, submittedId } from './testing';

/**
 * The same backend against moto_server (moto 5.2.1, a third-party server),
 * `batch_simple` mode without Docker. moto proves the SDK configuration,
 * signing, paths and the ListJobs/DescribeJobs/SubmitJob plumbing work with
 * an independent implementation. It cannot prove states or failures: its
 * jobs jump straight to SUCCEEDED with exitCode null, no logs are written,
 * and ListJobs semantics differ from AWS (see the facts reference, §C.2).
 */
let moto: ChildProcess;
let url: string;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  moto = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  for (let i = 0; ; i++) {
    const up = await fetch(`${url}/moto-api/`).then(
      () => true,
      () => false,
    );
    if (up) break;
    if (i > 100) throw new Error('moto_server did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  await fetch(`${url}/moto-api/config`, {
    method: 'POST',
    body: JSON.stringify({ batch: { use_docker: false } }),
  });
  // moto checks the service role exists; IAM speaks the query protocol, so one signed-looking form POST makes it.
  await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization:
        'AWS4-HMAC-SHA256 Credential=AKIDMOTO/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: new URLSearchParams({
      Action: 'CreateRole',
      Version: '2010-05-08',
      RoleName: 'AWSBatchServiceRole',
      AssumeRolePolicyDocument: '{}',
    }).toString(),
  });
  const batch = new BatchClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDMOTO', secretAccessKey: 'x' },
  });
  await batch.send(
    new CreateComputeEnvironmentCommand({
      computeEnvironmentName: 'ce-moto',
      type: 'UNMANAGED',
      state: 'ENABLED',
      serviceRole: 'arn:aws:iam::123456789012:role/AWSBatchServiceRole',
    }),
  );
  await batch.send(
    new CreateJobQueueCommand({
      jobQueueName: 'queue',
      state: 'ENABLED',
      priority: 1,
      computeEnvironmentOrder: [{ order: 1, computeEnvironment: 'ce-moto' }],
    }),
  );
  await batch.send(
    new RegisterJobDefinitionCommand({
      jobDefinitionName: 'jobdef',
      type: 'container',
      containerProperties: {
        image: 'busybox',
        resourceRequirements: [
          { type: 'VCPU', value: '1' },
          { type: 'MEMORY', value: '512' },
        ],
      },
    }),
  );
  batch.destroy();
}, 30_000);
afterAll(() => {
  if (moto?.pid !== undefined) process.kill(moto.pid, 'SIGTERM');
});

describe('BatchBackend against moto_server (plumbing only: moto has no real lifecycle)', () => {
  it('submits, finds the job by its tag, and reads a final report moto made up as SUCCEEDED', async () => {
    const cluster = batchClusterFor({ url } as AwsTestServer, {
      aws: { job_queue: 'queue' },
      config: { job_definition: 'jobdef' },
    });
    try {
      expect(await cluster.backend.listJobs()).toBeInstanceOf(Array);
      const s = spec();
      const id = submittedId((await cluster.backend.submitMany([s])).get(s.tag));
      expect((await cluster.backend.findByTags([s.tag])).get(s.tag)).toBe(id);
      const reports = await cluster.backend.finalReports([id]);
      // moto says SUCCEEDED with no exit code; AWS gives exit 0. Only "it is COMPLETED" is asserted.
      expect(reports.get(id)?.outcome).toBe('COMPLETED');
      expect(cluster.backend.connection?.()).toEqual({ state: 'connected', lastError: null });
    } finally {
      await cluster.close?.();
    }
  });

  it('says a queue moto does not know was not found', async () => {
    const cluster = batchClusterFor({ url } as AwsTestServer, { aws: { job_queue: 'nope' } });
    try {
      await expect(cluster.backend.listJobs()).rejects.toThrow(/job queue nope not found/);
    } finally {
      await cluster.close?.();
    }
  });
});
