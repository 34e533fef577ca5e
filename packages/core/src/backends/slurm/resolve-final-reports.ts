import type { FinalReport } from '../backend';
import type { JobOutcome } from '../../domain/job';
import type { SacctRow } from './parse-sacct';
import { SLURM_STATE_TO_OUTCOME, slurmStateOf } from './slurm-state';
import { exitCodePair, type ExitStatus } from './slurm-values';

/** Linux signal numbers. sacct prints Slurm error codes in the signal slot too (`0:125` after an OOM kill). */
const MAX_SIGNAL = 64;

interface JobRows {
  allocation: SacctRow;
  steps: SacctRow[];
}

/**
 * Final states from sacct rows, keyed by the allocation's JobID (`123`,
 * `123_4`, `123_[5-9]`). The rules, each proven by a capture in __fixtures__:
 *
 * 1. A job gets no report while its allocation row, or any of its steps, is
 *    still in a live state (sacct-live-jobs: allocation PENDING while .batch
 *    RUNNING, accounting lags).
 * 2. The allocation row says how the job ended; the .batch row does NOT
 *    override it: .batch is CANCELLED under a FAILED allocation after
 *    `kill -9 $$` (sacct-signal-kill) or a launch failure
 *    (sacct-missing-output-dir), and under TIMEOUT (sacct-timeout).
 * 3. An OUT_OF_MEMORY row anywhere makes a COMPLETED or FAILED job
 *    OUT_OF_MEMORY: an srun step killed by the OOM killer leaves the
 *    allocation and .batch COMPLETED (sacct-step-oom).
 * 4. COMPLETED with a non-zero exit or a signal becomes FAILED (Slurm
 *    versions that report COMPLETED with `1:0`; not reproducible on 22.05). A
 *    failed srun step under a script that exits 0 stays COMPLETED, as it
 *    would outside Slurm (sacct-step-fails).
 * 5. Exit code and signal come from the .batch row, the batch script's own
 *    status (the allocation says `0:0` after TIMEOUT or scancel, when .batch
 *    says `0:15`), else from the allocation; a job without any step never ran,
 *    so both are null and so is its start time (sacct shows Start = End for a
 *    job cancelled while pending, sacct-held-cancelled). `<code>:<signal>`
 *    with a signal means no exit code; a "signal" above 64 is a Slurm error
 *    code and is dropped (`0:125` on OOM).
 * 6. `CANCELLED by <uid>` gives cancelledBy = the uid text.
 * 7. An allocation state we do not recognise still ends the job, as LOST,
 *    with the raw text kept in rawState and reason.
 */
export function resolveFinalReports(rows: readonly SacctRow[]): Map<string, FinalReport> {
  const reports = new Map<string, FinalReport>();
  for (const [jobId, job] of groupByJob(rows)) {
    const report = resolveJob(jobId, job);
    if (report !== null) reports.set(jobId, report);
  }
  return reports;
}

function groupByJob(rows: readonly SacctRow[]): Map<string, JobRows> {
  const allocations = new Map<string, SacctRow>();
  const steps = new Map<string, Map<string, SacctRow>>();
  for (const row of rows) {
    if (row.step === null) {
      if (!allocations.has(row.jobId)) allocations.set(row.jobId, row);
    } else {
      const jobSteps = steps.get(row.allocationId) ?? new Map<string, SacctRow>();
      if (!jobSteps.has(row.jobId)) jobSteps.set(row.jobId, row);
      steps.set(row.allocationId, jobSteps);
    }
  }
  const jobs = new Map<string, JobRows>();
  for (const [jobId, allocation] of allocations) {
    jobs.set(jobId, { allocation, steps: [...(steps.get(jobId)?.values() ?? [])] });
  }
  return jobs;
}

function resolveJob(jobId: string, { allocation, steps }: JobRows): FinalReport | null {
  if (steps.some((step) => isLive(step.state))) return null;
  const state = slurmStateOf(allocation.state);
  let outcome: JobOutcome | null = state === null ? 'LOST' : SLURM_STATE_TO_OUTCOME[state];
  if (outcome === null) return null;

  const ran = steps.length > 0;
  const statusRow = steps.find((step) => step.step === 'batch') ?? allocation;
  const status = ran ? processStatus(statusRow.exitCode) : { exitCode: null, signal: null };
  if (
    (outcome === 'COMPLETED' || outcome === 'FAILED') &&
    [allocation, ...steps].some((row) => slurmStateOf(row.state) === 'OUT_OF_MEMORY')
  ) {
    outcome = 'OUT_OF_MEMORY';
  }
  if (
    outcome === 'COMPLETED' &&
    (isFailure(status) || isFailure(processStatus(allocation.exitCode)))
  ) {
    outcome = 'FAILED';
  }
  return {
    schedulerJobId: jobId,
    rawState: allocation.state,
    outcome,
    exitCode: status.exitCode,
    signal: status.signal,
    cancelledBy: /^CANCELLED by (\S+)/.exec(allocation.state)?.[1] ?? null,
    reason: state === null ? `unrecognised Slurm state: ${allocation.state}` : allocation.reason,
    startTime: ran ? allocation.startTime : null,
    finishTime: allocation.endTime,
    elapsed: allocation.elapsed,
  };
}

/** A known state that can still change. Unrecognised text does not hold a report back. */
function isLive(rawState: string): boolean {
  const state = slurmStateOf(rawState);
  return state !== null && SLURM_STATE_TO_OUTCOME[state] === null;
}

/** Unreadable ExitCode text gives nulls, and so never creates a failure. */
function processStatus(raw: string): ExitStatus {
  const pair = exitCodePair(raw);
  if (pair === null) return { exitCode: null, signal: null };
  if (pair.signal === 0) return { exitCode: pair.exit, signal: null };
  return { exitCode: null, signal: pair.signal <= MAX_SIGNAL ? pair.signal : null };
}

function isFailure(status: ExitStatus): boolean {
  return (status.exitCode !== null && status.exitCode !== 0) || status.signal !== null;
}
