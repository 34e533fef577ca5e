import { CoreError } from '../../runtime/errors';
import { shellQuote } from '../../runtime/command-runner';
import { assertRecordSeparator } from './record-separator';

/**
 * squeue `--Format` fields, in output order. `:0` means "as wide as the
 * value" (no truncation, no padding). JobArrayID gives `123`, `123_4` and
 * `123_[5-9]`; JobID would give the raw id of a started task instead.
 */
export const SQUEUE_FIELDS = [
  'JobArrayID',
  'UserName',
  'State',
  'Reason',
  'Partition',
  'NumCPUs',
  'MinMemory',
  'NodeList',
  'TimeUsed',
  'TimeLimit',
  'SubmitTime',
  'StartTime',
  'WorkDir',
  'STDOUT',
  'STDERR',
  'Command',
  'Comment',
  'Name',
] as const;
export type SqueueField = (typeof SQUEUE_FIELDS)[number];

/**
 * sacct fields, in output order. JobName is left out: the final-state rules
 * never need it. TotalCPU, AllocCPUS, MaxRSS (per step) and ReqMem give the
 * efficiency of a finished job (resolveEfficiency).
 */
export const SACCT_FIELDS = [
  'JobID',
  'JobIDRaw',
  'State',
  'ExitCode',
  'DerivedExitCode',
  'Reason',
  'Submit',
  'Start',
  'End',
  'Elapsed',
  'Comment',
  'TotalCPU',
  'AllocCPUS',
  'MaxRSS',
  'ReqMem',
] as const;
export type SacctField = (typeof SACCT_FIELDS)[number];

/** `123`, `123_4`, `123_[5-9]`, `123_[1,3-7%2]`, `123+1` (hetjob component). */
const JOB_ID = /^(\d+)(?:_\d+|_\[[0-9,%-]+\]|\+\d+)?$/;

export const isSlurmJobId = (id: string): boolean => JOB_ID.test(id);

export function assertJobId(id: string): void {
  if (!JOB_ID.test(id))
    throw new CoreError('INVALID_INPUT', `not a Slurm job id: ${JSON.stringify(id)}`);
}

export interface SqueueOptions {
  /** Also list jobs that ended within MinJobAge (`--states=all`). Default: live queue only. */
  includeFinished?: boolean;
}

/**
 * Every user's jobs, one record per job (pending array tasks stay collapsed
 * as `123_[5-9]`). TZ=UTC makes times UTC; SLURM_BITSTR_LEN=0 stops squeue
 * truncating long array ranges at 64 bytes.
 */
export function squeueCommand(separator: string, options: SqueueOptions = {}): string {
  assertRecordSeparator(separator);
  const format = SQUEUE_FIELDS.map((field) => `${field}:0${separator}`).join(',');
  const states = options.includeFinished === true ? ' --states=all' : '';
  return `printf '%s\\n' '${separator}'; TZ=UTC SLURM_BITSTR_LEN=0 squeue --all --noheader${states} --Format='${format}'`;
}

/**
 * One sacct call for many jobs. Measured on 22.05: an unknown or purged
 * numeric id is silently absent (exit 0), but a malformed id (`abc`) or an
 * array range (`123_[5-9]`) fails the whole call, so ids are validated here
 * and a range is asked for by its array's base id (sacct then lists every
 * task of the array, the `123_[5-9]` record included). `--jobs` implies all
 * time and includes never-eligible (held) jobs, so no `-S/-E` window.
 * `--allusers` because other users' jobs must be reportable too.
 *
 * @throws CoreError INVALID_INPUT when `ids` is empty or holds a non-id.
 */
export function sacctCommand(ids: readonly string[], separator: string): string {
  assertRecordSeparator(separator);
  if (ids.length === 0) throw new CoreError('INVALID_INPUT', 'sacct needs at least one job id');
  const wanted = new Set<string>();
  for (const id of ids) {
    assertJobId(id);
    wanted.add(id.includes('[') ? id.slice(0, id.indexOf('_')) : id);
  }
  return (
    `printf '%s\\n' '${separator}'; TZ=UTC sacct --allusers --noheader --parsable ` +
    `--delimiter='${separator}' --jobs=${[...wanted].join(',')} --format=${SACCT_FIELDS.join(',')}`
  );
}

/** The id as scancel takes and echoes it: a `%N` throttle shown by squeue is not part of it. */
export function scancelTarget(id: string): string {
  return id.replace(/%\d+\]$/, ']');
}

/**
 * One scancel for several jobs, array tasks and ranges. `--verbose` because
 * scancel 22.05 otherwise exits 0 silently for unknown ids and other users'
 * jobs (see parseScancelOutput). Ranges are quoted because `[` is a shell glob.
 */
export function scancelCommand(ids: readonly string[]): string {
  if (ids.length === 0) throw new CoreError('INVALID_INPUT', 'scancel needs at least one job id');
  for (const id of ids) assertJobId(id);
  return `scancel --verbose ${ids.map((id) => shellQuote(scancelTarget(id))).join(' ')}`;
}

/**
 * sbatch reads the script from stdin (no heredoc, so nothing in the script
 * needs escaping). It runs from the home directory: relative `--output` paths
 * in the script, and `~/` paths rewritten by renderJobScript, are relative to
 * it. `--parsable` prints `<id>` or `<id>;<cluster>` alone on stdout.
 */
export function sbatchCommand(): string {
  return 'cd "$HOME" && sbatch --parsable';
}
