import type { SubmitOutcome } from '../backend';
import type { CommandResult } from '../../runtime/command-runner';

export type SbatchOutcome =
  /** Queued. `warnings` is sbatch's stderr (e.g. `sbatch: Warning: can't run 1 processes on 2 nodes…`), or null. */
  | { kind: 'submitted'; schedulerJobId: string; cluster: string | null; warnings: string | null }
  /** Slurm refused the job; `message` is Slurm's text without the `sbatch: error:` prefixes. */
  | { kind: 'rejected'; message: string; exitCode: number | null }
  /**
   * slurmctld could not take jobs (queue full at MaxJobCount, busy) and sbatch
   * was retrying when it ended. Most likely nothing was queued, but look the
   * submission up by its tag before submitting it again.
   */
  | { kind: 'busy'; message: string }
  /**
   * sbatch could not open a connection to slurmctld (down, restarting,
   * unreachable): the request was never sent, so nothing was queued. Submit
   * again once the controller answers.
   */
  | { kind: 'unreachable'; message: string }
  /**
   * sbatch exited 0 but printed no job id, ended without an exit status
   * (killed, timed out), or lost slurmctld's reply after sending the job:
   * the job may or may not exist. Look it up by tag.
   */
  | { kind: 'unknown'; message: string };

/** `--parsable` prints `<id>` or `<id>;<cluster>` and nothing else on stdout. */
const PARSABLE_REPLY = /^(\d+)(?:;([A-Za-z0-9_.-]+))?\n?$/;

/** sbatch's retry messages (src/sbatch/sbatch.c) when slurmctld cannot take a job right now. */
const BUSY =
  /temporarily unable to accept job|job queue full, sleeping and retrying|Job creation temporarily disabled/i;

/** slurm_strerror(SLURMCTLD_COMMUNICATIONS_CONNECTION_ERROR): the connection was never opened (22.05, measured). */
const UNREACHABLE = /Unable to contact slurm controller \(connect failure\)/i;

/** The request may have reached slurmctld but its reply did not come back. */
const REPLY_LOST = /Socket timed out on send\/recv operation|Zero Bytes were transmitted or received/i;

export function parseSbatchOutput(result: CommandResult): SbatchOutcome {
  const stderr = result.stderr.trim();
  const reply = PARSABLE_REPLY.exec(result.stdout);
  if (result.exitCode === 0 && reply?.[1] !== undefined) {
    return {
      kind: 'submitted',
      schedulerJobId: reply[1],
      cluster: reply[2] ?? null,
      warnings: stderr === '' ? null : stderr,
    };
  }
  const message = slurmMessage(stderr) || slurmMessage(result.stdout.trim());
  if (BUSY.test(stderr)) return { kind: 'busy', message };
  if (REPLY_LOST.test(stderr)) return { kind: 'unknown', message };
  if (UNREACHABLE.test(stderr)) return { kind: 'unreachable', message };
  if (result.exitCode === 0) {
    return {
      kind: 'unknown',
      message: `sbatch printed no job id: ${JSON.stringify(result.stdout.slice(0, 200))}`,
    };
  }
  if (result.exitCode === null) {
    const how = result.signal === null ? 'without an exit status' : `by signal ${result.signal}`;
    return {
      kind: 'unknown',
      message: `sbatch ended ${how}${message === '' ? '' : `: ${message}`}`,
    };
  }
  return {
    kind: 'rejected',
    message: message || `sbatch exited ${result.exitCode}`,
    exitCode: result.exitCode,
  };
}

function slurmMessage(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/^sbatch: (?:error|fatal): /, '').trim())
    .filter((line) => line !== '')
    .join('\n');
}

/**
 * The Backend contract's view of one sbatch answer, for submit and the sbatch
 * loop alike: a busy controller may still have queued the job (uncertain);
 * one that could not be reached queued nothing.
 */
export function toSubmitOutcome(o: SbatchOutcome): SubmitOutcome {
  switch (o.kind) {
    case 'submitted':
      return { kind: 'submitted', schedulerJobId: o.schedulerJobId, warnings: o.warnings };
    case 'rejected':
      return { kind: 'rejected', error: o.message };
    case 'busy':
      return { kind: 'uncertain', message: `Slurm is not accepting jobs right now: ${o.message}` };
    case 'unreachable':
      return { kind: 'notSubmitted', message: `The Slurm controller cannot be reached: ${o.message}` };
    case 'unknown':
      return { kind: 'uncertain', message: o.message };
  }
}
