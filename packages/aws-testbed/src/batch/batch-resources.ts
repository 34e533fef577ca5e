import type {
  ComputeEnvironmentDetail,
  CreateComputeEnvironmentRequest,
  CreateJobQueueRequest,
  JobDefinition,
  JobQueueDetail,
  RegisterJobDefinitionRequest,
} from '@aws-sdk/client-batch';
import { batchClientError } from '../protocol/aws-error';

export interface ComputeEnvironment {
  detail: ComputeEnvironmentDetail;
  maxVcpus: number;
  usedVcpus: number;
}

export interface JobQueue {
  detail: JobQueueDetail;
  /** In `computeEnvironmentOrder` order. */
  environments: ComputeEnvironment[];
}

export interface BatchResourcesOptions {
  region: string;
  accountId: string;
  /** vCPU capacity of an environment created without `computeResources.maxvCpus`. */
  defaultMaxVcpus: number;
}

/** Compute environments, job queues and job definitions, addressable by name or ARN. */
export class BatchResources {
  readonly environments = new Map<string, ComputeEnvironment>();
  readonly queues = new Map<string, JobQueue>();
  /** name -> revisions, oldest first. */
  readonly definitions = new Map<string, JobDefinition[]>();

  constructor(private readonly o: BatchResourcesOptions) {}

  arn(kind: string, name: string): string {
    return `arn:aws:batch:${this.o.region}:${this.o.accountId}:${kind}/${name}`;
  }

  createComputeEnvironment(input: CreateComputeEnvironmentRequest): ComputeEnvironment {
    const name = input.computeEnvironmentName ?? '';
    if (this.environments.has(name)) {
      throw batchClientError(`Object already exists: compute environment ${name}`);
    }
    const env: ComputeEnvironment = {
      maxVcpus: input.computeResources?.maxvCpus ?? input.unmanagedvCpus ?? this.o.defaultMaxVcpus,
      usedVcpus: 0,
      detail: {
        computeEnvironmentName: name,
        computeEnvironmentArn: this.arn('compute-environment', name),
        ecsClusterArn: `arn:aws:ecs:${this.o.region}:${this.o.accountId}:cluster/${name}_Batch`,
        type: input.type ?? 'MANAGED',
        state: input.state ?? 'ENABLED',
        status: 'VALID',
        statusReason: 'ComputeEnvironment Healthy',
        containerOrchestrationType: 'ECS',
        ...(input.computeResources ? { computeResources: input.computeResources } : {}),
        ...(input.serviceRole ? { serviceRole: input.serviceRole } : {}),
        ...(input.tags ? { tags: input.tags } : {}),
      },
    };
    this.environments.set(name, env);
    return env;
  }

  createJobQueue(input: CreateJobQueueRequest): JobQueue {
    const name = input.jobQueueName ?? '';
    if (this.queues.has(name)) throw batchClientError(`Object already exists: job queue ${name}`);
    const order = [...(input.computeEnvironmentOrder ?? [])].sort(
      (a, b) => (a.order ?? 0) - (b.order ?? 0),
    );
    const environments = order.map((o) => this.environment(o.computeEnvironment ?? ''));
    const queue: JobQueue = {
      environments,
      detail: {
        jobQueueName: name,
        jobQueueArn: this.arn('job-queue', name),
        state: input.state ?? 'ENABLED',
        status: 'VALID',
        statusReason: 'JobQueue Healthy',
        priority: input.priority ?? 1,
        computeEnvironmentOrder: order,
        jobQueueType: 'ECS',
        ...(input.tags ? { tags: input.tags } : {}),
      },
    };
    this.queues.set(name, queue);
    return queue;
  }

  registerJobDefinition(input: RegisterJobDefinitionRequest): JobDefinition {
    const name = input.jobDefinitionName ?? '';
    const revisions = this.definitions.get(name) ?? [];
    const revision = revisions.length + 1;
    if (input.timeout?.attemptDurationSeconds !== undefined) {
      checkTimeout(input.timeout.attemptDurationSeconds);
    }
    const { jobDefinitionName: _n, ...rest } = input;
    const definition: JobDefinition = {
      jobDefinitionName: name,
      jobDefinitionArn: this.arn('job-definition', `${name}:${revision}`),
      revision,
      status: 'ACTIVE',
      containerOrchestrationType: 'ECS',
      ...rest,
      type: input.type ?? 'container',
    };
    revisions.push(definition);
    this.definitions.set(name, revisions);
    return definition;
  }

  environment(nameOrArn: string): ComputeEnvironment {
    const env = this.environments.get(lastSegment(nameOrArn));
    if (!env) throw batchClientError(`computeEnvironment ${nameOrArn} does not exist`);
    return env;
  }

  queue(nameOrArn: string): JobQueue {
    const queue = this.queues.get(lastSegment(nameOrArn));
    if (!queue) throw batchClientError(`Job Queue ${nameOrArn} does not exist`);
    return queue;
  }

  /** `name` (latest ACTIVE revision), `name:revision`, or the ARN of either. */
  definition(ref: string): JobDefinition {
    const [name = '', rev] = lastSegment(ref).split(':');
    const revisions = this.definitions.get(name) ?? [];
    const found = rev
      ? revisions.find((d) => d.revision === Number(rev))
      : revisions.filter((d) => d.status === 'ACTIVE').at(-1);
    if (!found) throw batchClientError(`Job definition ${ref} does not exist`);
    return found;
  }
}

/** AWS Batch rejects attempt timeouts under 60 seconds. */
export function checkTimeout(seconds: number): void {
  if (seconds < 60) {
    throw batchClientError('The attemptDurationSeconds value must be at least 60 seconds.');
  }
}

function lastSegment(nameOrArn: string): string {
  return nameOrArn.startsWith('arn:') ? (nameOrArn.split('/').pop() ?? '') : nameOrArn;
}
