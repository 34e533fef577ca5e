import type { CancelOutcome } from '../backend';
import type { CommandResult } from '../../runtime/command-runner';
import { scancelTarget } from './commands';

const KILL_ERROR = /^scancel: error: Kill job error on job id (\S+): (.*)$/;

/**
 * Per-id outcome of `scancelCommand(ids)`. Without `--verbose`, scancel 22.05
 * exits 0 and prints nothing for an unknown id or another user's job; with it,
 * each failure is one `Kill job error on job id <id>: <why>` line
 * (__fixtures__/scancel-mixed). A job that already ended is reported as not
 * cancelled, with Slurm's message. When scancel failed without naming ids,
 * every id gets its stderr.
 */
export function parseScancelOutput(ids: readonly string[], result: CommandResult): CancelOutcome[] {
  const errors = new Map<string, string>();
  for (const line of result.stderr.split('\n')) {
    const match = KILL_ERROR.exec(line.trim());
    if (match?.[1] !== undefined && match[2] !== undefined) errors.set(match[1], match[2]);
  }
  const failedWhole = result.exitCode !== 0 && errors.size === 0;
  const wholeMessage = result.stderr.trim() || `scancel exited ${String(result.exitCode)}`;
  return ids.map((id) => {
    const error = errors.get(scancelTarget(id));
    if (error !== undefined) return { schedulerJobId: id, ok: false, message: error };
    if (failedWhole) return { schedulerJobId: id, ok: false, message: wholeMessage };
    return { schedulerJobId: id, ok: true, message: null };
  });
}
