import type { SubmitManyResult, SubmitSpec } from '../backend';
import { isCoreError } from '../../runtime/errors';
import type { CommandRunner } from '../../runtime/command-runner';
import {
  BATCH_OVERHEAD_BYTES,
  batchSbatchCommand,
  newBatchMarker,
  parseBatchSbatchOutput,
  type BatchItem,
  type BatchOutcome,
} from './batch-sbatch';

export interface SubmitBatchOptions {
  renderScript: (spec: SubmitSpec) => string;
  /** Bound on one sbatch inside the loop (it retries forever while slurmctld is full). */
  perJobTimeoutMs: number;
  /** Jobs per exec. */
  maxJobsPerExec?: number;
  /** Command size per exec (SSH exec requests and ARG_MAX are finite). */
  maxCommandBytes?: number;
}

const DEFAULT_MAX_JOBS = 200;
const DEFAULT_MAX_BYTES = 512 * 1024;
/** Exec bound: every sbatch gets this much on top of one full per-job timeout. */
const PER_JOB_ALLOWANCE_MS = 1_000;
const EXEC_SLACK_MS = 30_000;

/**
 * Submits specs with as few execs as the size bounds allow, one sbatch loop
 * per exec (see batchSbatchCommand), EXEC_CONCURRENCY execs at a time
 * (slurmctld serialises job creation; two channels overlap the round trips
 * and shell work, well under the 8-channel cap). A failed exec makes its own
 * specs `uncertain` (or `notSubmitted` when the runner proves it never
 * started); execs not started yet are then not attempted (`notSubmitted`).
 */
export async function submitBatch(
  runner: CommandRunner,
  specs: readonly SubmitSpec[],
  o: SubmitBatchOptions,
  signal?: AbortSignal,
): Promise<Map<string, SubmitManyResult>> {
  const results = new Map<string, SubmitManyResult>();
  const all = [
    ...chunks(
      specs.map((spec) => ({ tag: spec.tag, script: o.renderScript(spec) })),
      o,
    ),
  ];
  let failed: string | null = null;
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < all.length; index = next++) {
      const chunk = all[index] ?? [];
      if (failed !== null) {
        const message = `not sent: an earlier batch failed (${failed})`;
        for (const item of chunk) results.set(item.tag, { kind: 'notSubmitted', message });
        continue;
      }
      const outcome = await submitChunk(runner, chunk, o, signal);
      if (outcome instanceof Map) {
        for (const [tag, result] of outcome) results.set(tag, result);
      } else {
        failed = outcome.message;
        for (const item of chunk) results.set(item.tag, outcome);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(EXEC_CONCURRENCY, all.length) }, worker));
  return results;
}

const EXEC_CONCURRENCY = 2;

type ExecFailure = Extract<SubmitManyResult, { kind: 'uncertain' | 'notSubmitted' }>;

/** One exec: the per-tag results, or one result for every tag of a failed exec. */
async function submitChunk(
  runner: CommandRunner,
  chunk: readonly BatchItem[],
  o: SubmitBatchOptions,
  signal?: AbortSignal,
): Promise<Map<string, SubmitManyResult> | ExecFailure> {
  const marker = newBatchMarker();
  const perJobS = Math.max(1, Math.ceil(o.perJobTimeoutMs / 1000));
  try {
    const result = await runner.run(batchSbatchCommand(chunk, marker, perJobS), {
      timeoutMs: o.perJobTimeoutMs + chunk.length * PER_JOB_ALLOWANCE_MS + EXEC_SLACK_MS,
      ...(signal ? { signal } : {}),
    });
    const tags = chunk.map((item) => item.tag);
    const outcomes = parseBatchSbatchOutput(result.stdout, marker, tags);
    return new Map([...outcomes].map(([tag, outcome]) => [tag, toResult(outcome)]));
  } catch (e) {
    const message = `batch submission did not complete: ${e instanceof Error ? e.message : String(e)}`;
    const started = !(
      isCoreError(e) &&
      (e.details?.started === false || e.details?.submitted === false)
    );
    return started ? { kind: 'uncertain', message } : { kind: 'notSubmitted', message };
  }
}

function toResult(outcome: BatchOutcome): SubmitManyResult {
  switch (outcome.kind) {
    case 'skipped':
      return { kind: 'notSubmitted', message: 'Slurm is not accepting jobs right now; not sent' };
    case 'missing':
      return {
        kind: 'uncertain',
        message: 'no answer from sbatch for this job (the batch ended early)',
      };
    case 'sbatch':
      break;
  }
  const o = outcome.outcome;
  switch (o.kind) {
    case 'submitted':
      return { kind: 'ok', schedulerJobId: o.schedulerJobId, warnings: o.warnings };
    case 'rejected':
      return { kind: 'rejected', error: o.message };
    case 'busy':
      return { kind: 'uncertain', message: `Slurm is not accepting jobs right now: ${o.message}` };
    case 'unreachable':
      return {
        kind: 'notSubmitted',
        message: `The Slurm controller cannot be reached: ${o.message}`,
      };
    case 'unknown':
      return { kind: 'uncertain', message: o.message };
  }
}

function* chunks(items: readonly BatchItem[], o: SubmitBatchOptions): Generator<BatchItem[]> {
  const maxJobs = o.maxJobsPerExec ?? DEFAULT_MAX_JOBS;
  const maxBytes = o.maxCommandBytes ?? DEFAULT_MAX_BYTES;
  let chunk: BatchItem[] = [];
  let bytes = BATCH_OVERHEAD_BYTES * 2;
  for (const item of items) {
    const size =
      Math.ceil((Buffer.byteLength(item.script) * 4) / 3) +
      item.tag.length * 3 +
      BATCH_OVERHEAD_BYTES;
    if (chunk.length > 0 && (chunk.length >= maxJobs || bytes + size > maxBytes)) {
      yield chunk;
      chunk = [];
      bytes = BATCH_OVERHEAD_BYTES * 2;
    }
    chunk.push(item);
    bytes += size;
  }
  if (chunk.length > 0) yield chunk;
}
