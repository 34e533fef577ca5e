import type { AwsTestServer } from '@scripthut/aws-testbed';
import { backendContract } from '../contract/backend-contract';
import type { ClusterRuntime } from '../cluster-runtime';
import { ecsCluster, spec, startEcsTestbed, USER } from './ecs-testbed';

/** The backend contract for ECS, through the real SDK against the aws-testbed (its own server on port 0). */
backendContract(
  'ECS',
  async () => {
    const server: AwsTestServer = await startEcsTestbed();
    const open: ClusterRuntime[] = [ecsCluster(server)];
    return {
      backend: open[0]!.backend,
      reopen: () => {
        const c = ecsCluster(server);
        open.push(c);
        return c.backend;
      },
      spec: (o) =>
        spec(o.command, {
          tag: o.tag,
          name: o.name,
          ...(o.memory ? { memory: o.memory } : {}),
          ...(o.timeLimit ? { timeLimit: o.timeLimit } : {}),
        }),
      user: USER,
      settleTimeoutMs: 15_000,
      close: async () => {
        for (const c of open) await c.close?.();
        await server.close();
      },
    };
  },
  {
    outOfMemory: {
      memory: '64M',
      command: 'python3 -c "b = bytearray(400 * 1024 * 1024); import time; time.sleep(5)"',
    },
  },
);
