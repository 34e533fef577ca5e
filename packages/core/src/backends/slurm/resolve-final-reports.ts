import type { FinalReport } from '../backend';
import type { JobOutcome } from '../../domain/job';
import type { SacctRow } from './parse-sacct';
import { resolveEfficiency } from './resolve-efficiency';
import { slurmLaunchFailure } from './slurm-launch-failure';
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
 *    RUNNING, accounting lags), nor while accounting is still writing it: for
 *    a moment after the end the allocation is COMPLETED with ReqMem `16?`
 *    (sacct-just-ended); the next poll has the whole record.
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
 * 8. A FAILED job whose "signal" is a slurmd launch error (`0:53` is error
 *    4021, the output file could not be opened: sacct-missing-output-dir,
 *    sacct-unwritable-output-dir) never started: no signal, no exit code, no
 *    start time, no efficiency, and the reason says what happened in words.
 * 9. Efficiency (CPU and memory used vs asked) as resolveEfficiency says.
 */
export function resolveFinalReports(rows: readonly SacctRow[]): Map<string, FinalReport> {
  const reports = new Map<string, FinalReport>();
  for (const job of groupByJob(rows)) {
    const report = resolveJob(job);
    if (report !== null) reports.set(job.allocation.jobId, report);
  }
  return reports;
}

interface Group {
  allocation: SacctRow | null;
  steps: SacctRow[];
  /** Step JobIDs, built only for jobs with many steps (small jobs are scanned). */
  stepIds: Set<string> | null;
}

const SCAN_LIMIT = 16;

/**
 * One pass over the rows. The first row of each allocation and of each step
 * wins; jobs come out in the order their allocation rows appear; steps whose
 * allocation sacct did not print are dropped. sacct prints each allocation
 * followed by its steps, so a step usually belongs to the previous row's job
 * and needs no map lookup.
 */
function groupByJob(rows: readonly SacctRow[]): JobRows[] {
  const groups = new Map<string, Group>();
  const jobs: JobRows[] = [];
  let current: Group | null = null;
  let currentId = '';
  for (const row of rows) {
    if (current === null || row.allocationId !== currentId) {
      currentId = row.allocationId;
      current = groups.get(currentId) ?? null;
      if (current === null) {
        current = { allocation: null, steps: [], stepIds: null };
        groups.set(currentId, current);
      }
    }
    if (row.step === null) {
      if (current.allocation === null) {
        current.allocation = row;
        jobs.push(current as JobRows);
      }
    } else if (addStep(current, row)) {
      current.steps.push(row);
    }
  }
  return jobs;
}

/** False when the group already has this step. */
function addStep(group: Group, row: SacctRow): boolean {
  const { steps } = group;
  if (group.stepIds === null) {
    for (const step of steps) if (step.jobId === row.jobId) return false;
    if (steps.length >= SCAN_LIMIT)
      group.stepIds = new Set(steps.map((step) => step.jobId)).add(row.jobId);
    return true;
  }
  if (group.stepIds.has(row.jobId)) return false;
  group.stepIds.add(row.jobId);
  return true;
}

const CANCELLED_BY = 'CANCELLED by ';

function resolveJob({ allocation, steps }: JobRows): FinalReport | null {
  let batch: SacctRow | undefined;
  let oom = slurmStateOf(allocation.state) === 'OUT_OF_MEMORY';
  for (const step of steps) {
    const stepState = slurmStateOf(step.state);
    if (stepState !== null && SLURM_STATE_TO_OUTCOME[stepState] === null) return null;
    if (stepState === 'OUT_OF_MEMORY') oom = true;
    if (batch === undefined && step.step === 'batch') batch = step;
  }
  if (allocation.reqMem?.endsWith('?') === true) return null;
  const state = slurmStateOf(allocation.state);
  let outcome: JobOutcome | null = state === null ? 'LOST' : SLURM_STATE_TO_OUTCOME[state];
  if (outcome === null) return null;

  const ran = steps.length > 0;
  const statusRow = batch ?? allocation;
  const status = ran ? processStatus(statusRow.exitCode) : NO_STATUS;
  if ((outcome === 'COMPLETED' || outcome === 'FAILED') && oom) outcome = 'OUT_OF_MEMORY';
  if (
    outcome === 'COMPLETED' &&
    (isFailure(status) || isFailure(processStatus(allocation.exitCode)))
  ) {
    outcome = 'FAILED';
  }
  const launchFailure =
    outcome === 'FAILED' && status.signal !== null ? slurmLaunchFailure(status.signal) : null;
  if (launchFailure !== null) {
    return {
      schedulerJobId: allocation.jobId,
      rawState: allocation.state,
      outcome,
      exitCode: null,
      signal: null,
      cancelledBy: null,
      reason: launchFailure,
      startTime: null,
      finishTime: allocation.endTime,
      elapsed: allocation.elapsed,
      efficiency: null,
    };
  }
  return {
    schedulerJobId: allocation.jobId,
    rawState: allocation.state,
    outcome,
    exitCode: status.exitCode,
    signal: status.signal,
    cancelledBy: cancelledBy(allocation.state),
    reason: state === null ? `unrecognised Slurm state: ${allocation.state}` : allocation.reason,
    startTime: ran ? allocation.startTime : null,
    finishTime: allocation.endTime,
    elapsed: allocation.elapsed,
    efficiency: resolveEfficiency(allocation, steps),
  };
}

/** The first word after `CANCELLED by `, as `/^CANCELLED by (\S+)/` would take it. */
function cancelledBy(rawState: string): string | null {
  if (!rawState.startsWith(CANCELLED_BY)) return null;
  return /^\S+/.exec(rawState.slice(CANCELLED_BY.length))?.[0] ?? null;
}

const NO_STATUS: ExitStatus = Object.freeze({ exitCode: null, signal: null });
/** sacct repeats a few ExitCode texts (`0:0`, `0:15`, `1:0`) across thousands of rows. */
const STATUS_CACHE_LIMIT = 1024;
const statusCache = new Map<string, ExitStatus>();

/** Unreadable ExitCode text gives nulls, and so never creates a failure. Shared, read-only results. */
function processStatus(raw: string): ExitStatus {
  const cached = statusCache.get(raw);
  if (cached !== undefined) return cached;
  const pair = exitCodePair(raw);
  let status: ExitStatus;
  if (pair === null) status = NO_STATUS;
  else if (pair.signal === 0) status = Object.freeze({ exitCode: pair.exit, signal: null });
  else
    status = Object.freeze({
      exitCode: null,
      signal: pair.signal <= MAX_SIGNAL ? pair.signal : null,
    });
  if (statusCache.size >= STATUS_CACHE_LIMIT) statusCache.clear();
  statusCache.set(raw, status);
  return status;
}

function isFailure(status: ExitStatus): boolean {
  return (status.exitCode !== null && status.exitCode !== 0) || status.signal !== null;
}
