import type { SubmitOutcome, SubmitSpec } from '../backend';
import { isCoreError } from '../../runtime/errors';
import type { CommandRunner } from '../../runtime/command-runner';
import {
  LOOP_OVERHEAD_BYTES,
  sbatchLoopCommand,
  newLoopMarker,
  parseSbatchLoopOutput,
  type LoopItem,
  type LoopOutcome,
} from './sbatch-loop';
import { toSubmitOutcome } from './parse-sbatch-output';

export interface SubmitManyOptions {
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
 * per exec (see sbatchLoopCommand), EXEC_CONCURRENCY execs at a time
 * (slurmctld serialises job creation; two channels overlap the round trips
 * and shell work, well under the 8-channel cap). A failed exec makes its own
 * specs `uncertain` (or `notSubmitted` when the runner proves it never
 * started); execs not started yet are then not attempted (`notSubmitted`).
 */
export async function submitMany(
  runner: CommandRunner,
  specs: readonly SubmitSpec[],
  o: SubmitManyOptions,
  signal?: AbortSignal,
): Promise<Map<string, SubmitOutcome>> {
  const results = new Map<string, SubmitOutcome>();
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
        const message = `not sent: an earlier sbatch loop failed (${failed})`;
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

type ExecFailure = Extract<SubmitOutcome, { kind: 'uncertain' | 'notSubmitted' }>;

/** One exec: the per-tag results, or one result for every tag of a failed exec. */
async function submitChunk(
  runner: CommandRunner,
  chunk: readonly LoopItem[],
  o: SubmitManyOptions,
  signal?: AbortSignal,
): Promise<Map<string, SubmitOutcome> | ExecFailure> {
  const marker = newLoopMarker();
  const perJobS = Math.max(1, Math.ceil(o.perJobTimeoutMs / 1000));
  try {
    const result = await runner.run(sbatchLoopCommand(chunk, marker, perJobS), {
      timeoutMs: o.perJobTimeoutMs + chunk.length * PER_JOB_ALLOWANCE_MS + EXEC_SLACK_MS,
      ...(signal ? { signal } : {}),
    });
    const tags = chunk.map((item) => item.tag);
    const outcomes = parseSbatchLoopOutput(result.stdout, marker, tags);
    return new Map([...outcomes].map(([tag, outcome]) => [tag, toResult(outcome)]));
  } catch (e) {
    const message = `the sbatch loop did not complete: ${e instanceof Error ? e.message : String(e)}`;
    const started = !(
      isCoreError(e) &&
      (e.details?.started === false || e.details?.submitted === false)
    );
    return started ? { kind: 'uncertain', message } : { kind: 'notSubmitted', message };
  }
}

function toResult(outcome: LoopOutcome): SubmitOutcome {
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
  return toSubmitOutcome(outcome.outcome);
}

function* chunks(items: readonly LoopItem[], o: SubmitManyOptions): Generator<LoopItem[]> {
  const maxJobs = o.maxJobsPerExec ?? DEFAULT_MAX_JOBS;
  const maxBytes = o.maxCommandBytes ?? DEFAULT_MAX_BYTES;
  let chunk: LoopItem[] = [];
  let bytes = LOOP_OVERHEAD_BYTES * 2;
  for (const item of items) {
    const size =
      Math.ceil((Buffer.byteLength(item.script) * 4) / 3) +
      item.tag.length * 3 +
      LOOP_OVERHEAD_BYTES;
    if (chunk.length > 0 && (chunk.length >= maxJobs || bytes + size > maxBytes)) {
      yield chunk;
      chunk = [];
      bytes = LOOP_OVERHEAD_BYTES * 2;
    }
    chunk.push(item);
    bytes += size;
  }
  if (chunk.length > 0) yield chunk;
}
