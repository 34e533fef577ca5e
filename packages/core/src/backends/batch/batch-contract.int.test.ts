import { BatchClient, SubmitJobCommand } from '@aws-sdk/client-batch';
import type { AwsTestServer } from '@scripthut/aws-testbed';
import { backendContract } from '../contract/backend-contract';
import { batchClusterFor, spec, startBatchTestbed } from './testing';

// The Batch backend through the real SDK against the project's AWS test server (real local processes).
let server: AwsTestServer | null = null;
backendContract(
  'AWS Batch',
  async () => {
    server = await startBatchTestbed({ timeScale: 0.02 });
    const running = server;
    const cluster = batchClusterFor(running);
    return {
      backend: cluster.backend,
      reopen: () => batchClusterFor(running).backend,
      user: 'ada',
      settleTimeoutMs: 30_000,
      spec: ({ tag, name, command, memory, timeLimit }) =>
        spec({
          tag,
          name,
          command,
          ...(memory ? { memory } : {}),
          ...(timeLimit ? { timeLimit } : {}),
        }),
      close: async () => {
        await cluster.close?.();
        await running.close();
      },
    };
  },
  {
    outOfMemory: {
      memory: '64M',
      command: "python3 -c 'b=bytearray(300*1024*1024); import time; time.sleep(5)'",
    },
    arrays: {
      // As a user's own tooling would: SubmitJob with arrayProperties, not through ScriptHut.
      submit: async ({ name, size, command }) => {
        const batch = new BatchClient({
          endpoint: server!.url,
          region: 'us-east-1',
          credentials: { accessKeyId: 'AKIDTESTBED', secretAccessKey: 'not-a-secret' },
          maxAttempts: 1,
        });
        try {
          const answer = await batch.send(
            new SubmitJobCommand({
              jobName: name,
              jobQueue: 'q',
              jobDefinition: 'jd',
              arrayProperties: { size },
              containerOverrides: { command: ['bash', '-c', command] },
            }),
          );
          return answer.jobId!;
        } finally {
          batch.destroy();
        }
      },
    },
  },
);
