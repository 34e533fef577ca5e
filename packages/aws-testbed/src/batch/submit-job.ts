import { randomUUID } from 'node:crypto';
import type { ResourceRequirement, SubmitJobRequest } from '@aws-sdk/client-batch';
import { batchClientError } from '../protocol/aws-error';
import type { BatchJob } from './batch-job';
import { checkTimeout, type BatchResources } from './batch-resources';

export const DEFAULT_BATCH_LOG_GROUP = '/aws/batch/job';
const MAX_PAYLOAD_BYTES = 30 * 1024;

/**
 * Builds a job from SubmitJob's input with the checks AWS applies beyond the
 * model: name syntax, resources, array size, dependencies, retry attempts,
 * timeout minimum and the payload limit. Overrides win over the definition.
 */
export function buildJob(
  input: SubmitJobRequest,
  resources: BatchResources,
  exists: (jobId: string) => boolean,
  seq: number,
): BatchJob {
  if (Buffer.byteLength(JSON.stringify(input)) > MAX_PAYLOAD_BYTES) {
    throw batchClientError('SubmitJob request payload exceeds the 30 KiB limit');
  }
  const jobName = input.jobName ?? '';
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/.test(jobName)) {
    throw batchClientError(
      'Job name should be up to 128 letters (uppercase and lowercase), numbers, hyphens, and ' +
        'underscores, and must start with an alphanumeric.',
    );
  }
  const queue = resources.queue(input.jobQueue ?? '');
  const definition = resources.definition(input.jobDefinition ?? '');
  const props = definition.containerProperties ?? {};
  const overrides = input.containerOverrides ?? {};
  if (overrides.command?.some((arg) => arg === '')) {
    throw batchClientError('Container override command can not contain an empty string');
  }
  for (const kv of overrides.environment ?? []) {
    if (kv.name?.startsWith('AWS_BATCH')) {
      throw batchClientError(`Environment variable names can not start with AWS_BATCH: ${kv.name}`);
    }
  }
  const requirements = overrides.resourceRequirements ?? props.resourceRequirements ?? [];
  const vcpus = Number(find(requirements, 'VCPU') ?? overrides.vcpus ?? props.vcpus ?? 1);
  const memory = find(requirements, 'MEMORY') ?? overrides.memory ?? props.memory;
  const memoryMiB = memory === undefined ? undefined : Number(memory);
  if (memoryMiB !== undefined && !(memoryMiB >= 4)) {
    throw batchClientError('Memory must be at least 4 MiB');
  }
  if (!(vcpus > 0)) throw batchClientError('vCPU must be greater than 0');
  const size = input.arrayProperties?.size;
  if (size !== undefined && (size < 2 || size > 10_000)) {
    throw batchClientError('Array job size must be between 2 and 10000');
  }
  const dependsOn = input.dependsOn ?? [];
  if (dependsOn.length > 20) throw batchClientError('A job can depend on at most 20 jobs');
  for (const d of dependsOn) {
    if (!exists(d.jobId ?? '')) throw batchClientError(`Dependent job ${d.jobId} does not exist`);
  }
  const retry = input.retryStrategy ?? definition.retryStrategy;
  const retryAttempts = retry?.attempts ?? 1;
  if (retryAttempts < 1 || retryAttempts > 10) {
    throw batchClientError('Retry strategy attempts must be between 1 and 10');
  }
  const timeoutSeconds = (input.timeout ?? definition.timeout)?.attemptDurationSeconds;
  if (timeoutSeconds !== undefined) checkTimeout(timeoutSeconds);
  const parameters = { ...definition.parameters, ...input.parameters };
  const command = (overrides.command ?? props.command ?? []).map((arg) =>
    arg.replace(/Ref::([A-Za-z0-9_-]+)/g, (ref, name: string) => parameters[name] ?? ref),
  );
  const byName = new Map((props.environment ?? []).map((kv) => [kv.name, kv]));
  for (const kv of overrides.environment ?? []) byName.set(kv.name, kv);
  const jobId = randomUUID();
  return {
    seq,
    jobId,
    jobArn: resources.arn('job', jobId),
    jobName,
    queue,
    definition,
    status: 'SUBMITTED',
    createdAt: Date.now(),
    command,
    environment: [...byName.values()],
    vcpus,
    ...(memoryMiB !== undefined ? { memoryMiB } : {}),
    logGroup: props.logConfiguration?.options?.['awslogs-group'] ?? DEFAULT_BATCH_LOG_GROUP,
    retryAttempts,
    evaluateOnExit: retry?.evaluateOnExit ?? [],
    ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
    dependsOn,
    ...(input.tags ? { tags: input.tags } : {}),
    ...(Object.keys(parameters).length > 0 ? { parameters } : {}),
    ...(input.propagateTags !== undefined ? { propagateTags: input.propagateTags } : {}),
    ...(size !== undefined ? { arraySize: size } : {}),
    attempts: [],
    ready: false,
  };
}

function find(requirements: ResourceRequirement[], type: string): string | undefined {
  return requirements.find((r) => r.type === type)?.value;
}
