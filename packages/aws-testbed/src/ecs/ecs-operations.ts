import type {
  CreateClusterRequest,
  DescribeClustersRequest,
  DescribeTaskDefinitionRequest,
  DescribeTasksRequest,
  ListTagsForResourceRequest,
  ListTasksRequest,
  RegisterTaskDefinitionRequest,
  RunTaskRequest,
  StopTaskRequest,
} from '@aws-sdk/client-ecs';
import { ecsError } from '../protocol/aws-error';
import type { OperationTable } from '../server/operation-table';
import type { EcsResources } from './ecs-resources';
import type { EcsTask } from './ecs-task';
import { buildTask, planRunTask } from './run-task';
import type { TaskEngine } from './task-engine';
import { toTaskView } from './task-views';

interface IssuedToken {
  fingerprint: string;
  taskIds: string[];
}

export function ecsOperations(resources: EcsResources, engine: TaskEngine): OperationTable {
  const tokens = new Map<string, IssuedToken>();
  const view = (t: EcsTask, tags = false) => toTaskView(t, tags);
  return {
    RunTask: (raw) => {
      const input = raw as RunTaskRequest;
      const { clientToken, ...rest } = input;
      const fingerprint = JSON.stringify(rest);
      const issued = clientToken ? tokens.get(clientToken) : undefined;
      if (issued) {
        // Same token, same request: the same tasks, nothing launched again.
        if (issued.fingerprint !== fingerprint) {
          throw ecsError(
            'ConflictException',
            `The specified clientToken is already in use with different parameters. Tasks: ${issued.taskIds.join(', ')}`,
          );
        }
        const known = issued.taskIds.flatMap((id) => engine.tasks.get(id) ?? []);
        return { tasks: known.map((t) => view(t)), failures: [] };
      }
      const plan = planRunTask(resources, input);
      if (plan.vcpus > plan.cluster.vcpus) {
        return { tasks: [], failures: [{ arn: plan.cluster.arn, reason: 'RESOURCE:CPU' }] };
      }
      const tasks = Array.from({ length: plan.count }, () =>
        buildTask(resources, plan, input, engine.nextSeq()),
      );
      for (const t of tasks) engine.add(t);
      if (clientToken)
        tokens.set(clientToken, { fingerprint, taskIds: tasks.map((t) => t.taskId) });
      return { tasks: tasks.map((t) => view(t)), failures: [] };
    },
    StopTask: (raw) => {
      const input = raw as StopTaskRequest;
      const cluster = resources.cluster(input.cluster);
      const task = engine.find(input.task ?? '');
      if (!task || task.cluster !== cluster) {
        throw ecsError('InvalidParameterException', 'The referenced task was not found.');
      }
      engine.stop(task, 'UserInitiated', input.reason ?? 'Task stopped by user');
      return { task: view(task) };
    },
    ListTasks: (raw) => {
      const input = raw as ListTasksRequest;
      const cluster = resources.cluster(input.cluster);
      const size = input.maxResults ?? 100;
      if (size < 1 || size > 100) {
        throw ecsError('InvalidParameterException', 'maxResults must be between 1 and 100.');
      }
      const desired = input.desiredStatus ?? 'RUNNING';
      const after = input.nextToken ? parseToken(input.nextToken) : 0;
      const family = input.family;
      const matching = [...engine.tasks.values()]
        .filter(
          (t) =>
            t.cluster === cluster &&
            t.desiredStatus === desired &&
            (input.startedBy === undefined || t.startedBy === input.startedBy) &&
            (family === undefined || t.definition.definition.family === family) &&
            (input.launchType === undefined || t.launchType === input.launchType) &&
            t.seq > after,
        )
        .sort((a, b) => a.seq - b.seq);
      const page = matching.slice(0, size);
      const last = page.at(-1);
      return {
        taskArns: page.map((t) => t.taskArn),
        ...(matching.length > size && last ? { nextToken: makeToken(last.seq) } : {}),
      };
    },
    DescribeTasks: (raw) => {
      const input = raw as DescribeTasksRequest;
      const cluster = resources.cluster(input.cluster);
      const refs = input.tasks ?? [];
      if (refs.length > 100) {
        throw ecsError('InvalidParameterException', 'Tasks cannot be longer than 100.');
      }
      const tags = input.include?.includes('TAGS') ?? false;
      const tasks = [];
      const failures = [];
      for (const ref of refs) {
        const task = engine.find(ref);
        if (task && task.cluster === cluster) tasks.push(view(task, tags));
        else
          failures.push({
            arn: ref.startsWith('arn:') ? ref : resources.arn(`task/${cluster.name}/${ref}`),
            reason: 'MISSING',
          });
      }
      return { tasks, failures };
    },
    CreateCluster: (raw) => {
      const input = raw as CreateClusterRequest;
      const c = resources.createCluster(
        input.clusterName ?? 'default',
        undefined,
        input.tags ?? [],
      );
      return { cluster: resources.clusterView(c, 0, 0) };
    },
    DescribeClusters: (raw) => {
      const input = raw as DescribeClustersRequest;
      const clusters = [];
      const failures = [];
      for (const ref of input.clusters ?? ['default']) {
        const c = resources.clusters.get(ref.split('/').pop() ?? '');
        if (!c) {
          failures.push({
            arn: ref.startsWith('arn:') ? ref : resources.arn(`cluster/${ref}`),
            reason: 'MISSING',
          });
          continue;
        }
        const tasks = [...engine.tasks.values()].filter((t) => t.cluster === c);
        const running = tasks.filter((t) => t.lastStatus === 'RUNNING').length;
        const pending = tasks.filter((t) =>
          ['PROVISIONING', 'PENDING', 'ACTIVATING'].includes(t.lastStatus),
        ).length;
        clusters.push(resources.clusterView(c, running, pending));
      }
      return { clusters, failures };
    },
    RegisterTaskDefinition: (raw) => {
      const stored = resources.register(raw as RegisterTaskDefinitionRequest);
      return { taskDefinition: stored.definition, tags: stored.tags };
    },
    DescribeTaskDefinition: (raw) => {
      const input = raw as DescribeTaskDefinitionRequest;
      const stored = resources.find(input.taskDefinition ?? '');
      if (!stored) throw ecsError('ClientException', 'Unable to describe task definition.');
      const tags = input.include?.includes('TAGS') ?? false;
      return { taskDefinition: stored.definition, ...(tags ? { tags: stored.tags } : {}) };
    },
    ListTagsForResource: (raw) => {
      const arn = (raw as ListTagsForResourceRequest).resourceArn ?? '';
      const task = arn.includes(':task/') ? engine.find(arn) : undefined;
      if (task) return { tags: task.tags };
      const def = arn.includes(':task-definition/') ? resources.find(arn) : null;
      if (def) return { tags: def.tags };
      const cluster = arn.includes(':cluster/')
        ? resources.clusters.get(arn.split('/').pop() ?? '')
        : undefined;
      if (cluster) return { tags: cluster.tags };
      throw ecsError('InvalidParameterException', 'The specified resource could not be found.');
    },
  };
}

function makeToken(seq: number): string {
  return Buffer.from(`seq:${seq}`).toString('base64url');
}

function parseToken(token: string): number {
  const m = /^seq:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!m) throw ecsError('InvalidParameterException', 'Invalid nextToken.');
  return Number(m[1]);
}
