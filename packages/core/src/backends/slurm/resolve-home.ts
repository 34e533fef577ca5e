import type { CommandRunner } from '../../runtime/command-runner';
import { CoreError } from '../../runtime/errors';

/**
 * `$HOME` on the cluster, asked once with `printf '%s' "$HOME"`: Slurm does
 * not expand `~` in `#SBATCH` lines, so paths are resolved before rendering.
 */
export async function resolveHome(runner: CommandRunner, cluster: string): Promise<string> {
  const result = await runner.run(`printf '%s' "$HOME"`, { timeoutMs: 30_000, maxOutputBytes: 4_096 });
  const home = result.stdout.trim();
  if (result.exitCode !== 0 || !home.startsWith('/') || home.includes('\n')) {
    throw new CoreError('SCHEDULER_ERROR', `Cannot resolve $HOME on cluster ${cluster}: got ${JSON.stringify(home)}${result.stderr ? ` (${result.stderr.trim()})` : ''}`, {
      cluster,
    });
  }
  return home;
}
