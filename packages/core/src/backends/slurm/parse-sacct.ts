import { SACCT_FIELDS } from './commands';
import { fieldIndex, field } from './field-index';
import { mapRecords } from './record-separator';
import { count, durationSeconds, sizeBytes, utcTime } from './slurm-values';

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
  /** TotalCPU in seconds (user + system time of the processes); on the allocation row, the sum over its steps. */
  totalCpuSeconds: number | null;
  allocCpus: number | null;
  /** MaxRSS in bytes; sacct fills it on step rows only. */
  maxRssBytes: number | null;
  /** ReqMem as sacct printed it (`300M`; `16?` while accounting is still writing the job); null when empty. */
  reqMem: string | null;
  /** ReqMem in bytes for the whole job; sacct fills it on the allocation row only. */
  reqMemBytes: number | null;
}

/**
 * Parses the output of `sacctCommand()`, one row per line sacct printed, in
 * sacct's order (allocation first, then its steps).
 *
 * @throws CoreError SCHEDULER_ERROR when the output is not sacctCommand's shape.
 */
export function parseSacct(stdout: string): SacctRow[] {
  return mapRecords(stdout, SACCT_FIELDS.length, 'sacct', toRow);
}

const AT = fieldIndex(SACCT_FIELDS);

function toRow(v: readonly string[]): SacctRow {
  const jobId = field(v, AT.JobID);
  const dot = jobId.indexOf('.');
  const reason = field(v, AT.Reason);
  const elapsed = field(v, AT.Elapsed);
  const comment = field(v, AT.Comment);
  const allocCpus = count(field(v, AT.AllocCPUS));
  const reqMem = field(v, AT.ReqMem);
  return {
    jobId,
    allocationId: dot === -1 ? jobId : jobId.slice(0, dot),
    step: dot === -1 ? null : jobId.slice(dot + 1),
    jobIdRaw: field(v, AT.JobIDRaw),
    state: field(v, AT.State),
    exitCode: field(v, AT.ExitCode),
    derivedExitCode: field(v, AT.DerivedExitCode),
    reason: reason === '' || reason === 'None' ? null : reason,
    submitTime: utcTime(field(v, AT.Submit)),
    startTime: utcTime(field(v, AT.Start)),
    endTime: utcTime(field(v, AT.End)),
    elapsed: elapsed === '' ? null : elapsed,
    comment: comment === '' ? null : comment,
    totalCpuSeconds: durationSeconds(field(v, AT.TotalCPU)),
    allocCpus,
    maxRssBytes: sizeBytes(field(v, AT.MaxRSS)),
    reqMem: reqMem === '' ? null : reqMem,
    reqMemBytes: sizeBytes(reqMem, allocCpus),
  };
}
