import type {
  Cluster,
  RegisterTaskDefinitionRequest,
  Tag,
  TaskDefinition,
} from '@aws-sdk/client-ecs';
import { ecsError } from '../protocol/aws-error';
import { toEpochSeconds, type Wire } from '../protocol/wire-types';

export interface EcsCluster {
  name: string;
  arn: string;
  vcpus: number;
  usedVcpus: number;
  tags: Tag[];
}

export interface StoredTaskDefinition {
  definition: Wire<TaskDefinition>;
  tags: Tag[];
}

export interface EcsResourcesOptions {
  region: string;
  accountId: string;
  principalArn: string;
  defaultClusterVcpus: number;
}

/** ECS clusters and task definitions (family → revisions, oldest first). */
export class EcsResources {
  readonly clusters = new Map<string, EcsCluster>();
  readonly families = new Map<string, StoredTaskDefinition[]>();

  constructor(readonly o: EcsResourcesOptions) {}

  arn(resource: string): string {
    return `arn:aws:ecs:${this.o.region}:${this.o.accountId}:${resource}`;
  }

  createCluster(name: string, vcpus?: number, tags: Tag[] = []): EcsCluster {
    const existing = this.clusters.get(name);
    if (existing) return existing; // CreateCluster is idempotent by name
    const cluster: EcsCluster = {
      name,
      arn: this.arn(`cluster/${name}`),
      vcpus: vcpus ?? this.o.defaultClusterVcpus,
      usedVcpus: 0,
      tags,
    };
    this.clusters.set(name, cluster);
    return cluster;
  }

  /** Name or ARN; RunTask and friends default to `default`. */
  cluster(ref: string | undefined): EcsCluster {
    const name = (ref ?? 'default').split('/').pop() ?? '';
    const cluster = this.clusters.get(name);
    if (!cluster) throw ecsError('ClusterNotFoundException', 'Cluster not found.');
    return cluster;
  }

  clusterView(c: EcsCluster, running: number, pending: number): Wire<Cluster> {
    return {
      clusterArn: c.arn,
      clusterName: c.name,
      status: 'ACTIVE',
      registeredContainerInstancesCount: 0,
      runningTasksCount: running,
      pendingTasksCount: pending,
      activeServicesCount: 0,
      statistics: [],
      tags: c.tags,
      settings: [{ name: 'containerInsights', value: 'disabled' }],
      capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
      defaultCapacityProviderStrategy: [],
    };
  }

  register(input: RegisterTaskDefinitionRequest): StoredTaskDefinition {
    const family = input.family ?? '';
    const revisions = this.families.get(family) ?? [];
    const revision = revisions.length + 1;
    const { tags = [], ...rest } = input;
    const compat = input.requiresCompatibilities ?? [];
    const stored: StoredTaskDefinition = {
      tags,
      definition: {
        ...rest,
        taskDefinitionArn: this.arn(`task-definition/${family}:${revision}`),
        revision,
        status: 'ACTIVE',
        networkMode: input.networkMode ?? (compat.includes('FARGATE') ? 'awsvpc' : 'bridge'),
        volumes: input.volumes ?? [],
        placementConstraints: input.placementConstraints ?? [],
        requiresAttributes: [],
        compatibilities: compat.includes('FARGATE') ? ['EC2', 'FARGATE'] : ['EC2'],
        registeredAt: toEpochSeconds(Date.now()),
        registeredBy: this.o.principalArn,
      },
    };
    revisions.push(stored);
    this.families.set(family, revisions);
    return stored;
  }

  /** `family` (latest ACTIVE), `family:revision`, or an ARN of either; null when unknown. */
  find(ref: string): StoredTaskDefinition | null {
    const [family = '', rev] = (ref.split('/').pop() ?? '').split(':');
    const revisions = this.families.get(family) ?? [];
    const found = rev
      ? revisions.find((d) => d.definition.revision === Number(rev))
      : revisions.filter((d) => d.definition.status === 'ACTIVE').at(-1);
    return found ?? null;
  }
}
