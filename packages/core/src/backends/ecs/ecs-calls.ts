import type { ListTasksCommandInput, Task } from '@aws-sdk/client-ecs';
import { CoreError } from '../../runtime/errors';
import { chunks, type ConnectionTracker } from '../aws';
import type { EcsApi } from './ecs-api';

/** DescribeTasks takes up to 100 tasks, ListTasks pages up to 100 (ECS model). */
export const ECS_PAGE = 100;

/**
 * The ECS reads of one cluster, recorded in the connection tracker. A
 * missing cluster is a connection problem here (the cluster as configured
 * cannot be reached), said with how to fix it.
 */
export class EcsCalls {
  constructor(
    readonly api: EcsApi,
    readonly tracker: ConnectionTracker,
    readonly cluster: string,
    private readonly region: string,
  ) {}

  async call<T>(action: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await this.tracker.call(action, fn);
    } catch (e) {
      if (e instanceof CoreError && e.details?.code === 'ClusterNotFoundException')
        throw this.clusterNotFound();
      throw e;
    }
  }

  /** Records and returns the error for a cluster ECS does not know. */
  clusterNotFound(): CoreError {
    const lastError = `ECS cluster ${this.cluster} not found in ${this.region}: check aws.cluster_name and aws.region (aws ecs list-clusters --region ${this.region})`;
    this.tracker.set({ state: 'unreachable', lastError });
    return new CoreError('CLUSTER_UNAVAILABLE', lastError, { code: 'ClusterNotFoundException' });
  }

  /** Every task id ListTasks returns for `filter`, all pages. */
  async listAll(
    filter: Omit<ListTasksCommandInput, 'cluster' | 'nextToken' | 'maxResults'>,
    signal?: AbortSignal,
  ): Promise<string[]> {
    const arns: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.call('ecs:ListTasks', () =>
        this.api.listTasks(
          {
            cluster: this.cluster,
            maxResults: ECS_PAGE,
            ...filter,
            ...(nextToken ? { nextToken } : {}),
          },
          signal,
        ),
      );
      arns.push(...(page.taskArns ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    return arns;
  }

  /** The tasks (with tags) ECS still describes; unknown or forgotten ones (failures MISSING) are left out. */
  async describe(tasks: readonly string[], signal?: AbortSignal): Promise<Task[]> {
    const out: Task[] = [];
    for (const batch of chunks([...new Set(tasks)], ECS_PAGE)) {
      const page = await this.call('ecs:DescribeTasks', () =>
        this.api.describeTasks({ cluster: this.cluster, tasks: batch, include: ['TAGS'] }, signal),
      );
      out.push(...(page.tasks ?? []));
    }
    return out;
  }
}
