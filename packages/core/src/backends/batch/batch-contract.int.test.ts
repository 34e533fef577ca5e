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
        spec({ tag, name, command, ...(memory ? { memory } : {}), ...(timeLimit ? { timeLimit } : {}) }),
      close: async () => {
        await cluster.close?.();
        await running.close();
      },
    };
  },
  { outOfMemory: { memory: '64M', command: "python3 -c 'b=bytearray(300*1024*1024); import time; time.sleep(5)'" } },
);
