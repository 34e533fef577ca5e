import type { SubmitJobCommandInput } from '@aws-sdk/client-batch';
import type { SubmitSpec } from '../backend';
import { memoryMiB, timeLimitSeconds } from '../../domain/resources';
import { containerCommand } from './batch-command';
import { batchJobName } from './batch-job-name';
import { TAG_KEYS } from './batch-observed-job';

export interface BatchSubmitTarget {
  jobQueue: string;
  jobDefinition: string;
  retryAttempts: number;
  /** Recorded as the `scripthut:user` tag (the owner shown for the job). */
  user: string;
}

/** Batch refuses attemptDurationSeconds below this. */
export const MIN_TIMEOUT_S = 60;
/** SubmitJob's whole request is at most 30 KiB; this leaves room for everything but the command. */
export const MAX_COMMAND_BYTES = 28 * 1024;

/**
 * The SubmitJob request of a spec, or why there can be none (resolveTask
 * refuses these earlier; this is the last check). Resources go in
 * `resourceRequirements` (MEMORY in MiB), never the deprecated
 * vcpus/memory, which cannot override a definition's requirements and are
 * refused on Fargate.
 */
export function submitJobInput(
  spec: SubmitSpec,
  t: BatchSubmitTarget,
): { ok: true; input: SubmitJobCommandInput } | { ok: false; error: string } {
  const mib = memoryMiB(spec.memory);
  if (mib === null || mib < 4)
    return {
      ok: false,
      error: `memory ${spec.memory} is not a size AWS Batch takes (at least 4 MiB, e.g. 512M or 4G)`,
    };
  const limitS = timeLimitSeconds(spec.timeLimit);
  if (Number.isNaN(limitS))
    return { ok: false, error: `time_limit ${spec.timeLimit} is not a duration` };
  if (limitS !== null && limitS < MIN_TIMEOUT_S)
    return { ok: false, error: timeLimitTooShort(spec.timeLimit, limitS) };
  const commandBytes = Buffer.byteLength(spec.command);
  if (commandBytes > MAX_COMMAND_BYTES) return { ok: false, error: commandTooLong(commandBytes) };
  return {
    ok: true,
    input: {
      jobName: batchJobName(spec.tag, spec.name),
      jobQueue: t.jobQueue,
      jobDefinition: t.jobDefinition,
      containerOverrides: {
        command: containerCommand(spec.command, spec.workingDir),
        resourceRequirements: [
          { type: 'VCPU', value: String(spec.cpus) },
          { type: 'MEMORY', value: String(mib) },
        ],
        environment: [
          { name: 'SCRIPTHUT_TAG', value: spec.tag },
          { name: 'SCRIPTHUT_JOB_NAME', value: spec.name },
        ],
      },
      retryStrategy: { attempts: t.retryAttempts },
      ...(limitS !== null ? { timeout: { attemptDurationSeconds: limitS } } : {}),
      tags: { [TAG_KEYS.tag]: spec.tag, [TAG_KEYS.user]: t.user },
    },
  };
}

export const timeLimitTooShort = (limit: string, seconds: number): string =>
  `time_limit ${limit} is ${seconds} s; AWS Batch needs at least ${MIN_TIMEOUT_S} s`;

export const commandTooLong = (bytes: number): string =>
  `the command is ${bytes} bytes; AWS Batch takes at most 30 KiB per SubmitJob request, so keep commands under ${MAX_COMMAND_BYTES} bytes (put long scripts in the image or fetch them)`;

/** What dry run and the queue store show for a spec: the SubmitJob request, as JSON. */
export function renderBatchSubmission(spec: SubmitSpec, t: BatchSubmitTarget): string {
  const r = submitJobInput(spec, t);
  return r.ok ? `${JSON.stringify(r.input, null, 2)}\n` : `# not submittable: ${r.error}\n`;
}
