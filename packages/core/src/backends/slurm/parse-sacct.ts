import { SACCT_FIELDS } from './commands';
import { readNamedRecords } from './record-separator';
import { orNull, utcTime } from './slurm-values';

/** One sacct line: the job allocation itself, or one of its steps. */
export interface SacctRow {
  /** `123`, `123_4`, `123_[5-9]`, `123.batch`, `123_4.0`… */
  jobId: string;
  /** The job id the step belongs to (`123_4` for `123_4.batch`). */
  allocationId: string;
  /** Null for the allocation row; `batch`, `extern`, `0`, `1`… for steps. */
  step: string | null;
  jobIdRaw: string;
  /** Raw text, e.g. `CANCELLED by 1001`, `OUT_OF_MEMORY`. */
  state: string;
  /** Raw `<exit>:<signal>`, e.g. `0:125`. */
  exitCode: string;
  /** Raw; empty on step rows. */
  derivedExitCode: string;
  /** Null when sacct says `None` or leaves it empty (step rows). */
  reason: string | null;
  submitTime: string | null;
  startTime: string | null;
  endTime: string | null;
  elapsed: string | null;
  comment: string | null;
}

/**
 * Parses the output of `sacctCommand()`, one row per line sacct printed, in
 * sacct's order (allocation first, then its steps).
 *
 * @throws CoreError SCHEDULER_ERROR when the output is not sacctCommand's shape.
 */
export function parseSacct(stdout: string): SacctRow[] {
  return readNamedRecords(stdout, SACCT_FIELDS, 'sacct').map((f) => {
    const dot = f.JobID.indexOf('.');
    return {
      jobId: f.JobID,
      allocationId: dot === -1 ? f.JobID : f.JobID.slice(0, dot),
      step: dot === -1 ? null : f.JobID.slice(dot + 1),
      jobIdRaw: f.JobIDRaw,
      state: f.State,
      exitCode: f.ExitCode,
      derivedExitCode: f.DerivedExitCode,
      reason: orNull(f.Reason, 'None'),
      submitTime: utcTime(f.Submit),
      startTime: utcTime(f.Start),
      endTime: utcTime(f.End),
      elapsed: orNull(f.Elapsed),
      comment: orNull(f.Comment),
    };
  });
}
