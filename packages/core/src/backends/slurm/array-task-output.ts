/**
 * The output file of an array task as squeue reports it, corrected where
 * squeue is wrong. Given no `--output`, sbatch writes an array task to
 * `slurm-%A_%a.out` (`slurm-5_2.out`), but squeue 22.05 prints the plain-job
 * default filled with the task's own job id (`<WorkDir>/slurm-7.out`): see
 * `__fixtures__/squeue-array-logs` against `files-array-logs`. For that case
 * this returns sbatch's pattern, which `expandOutputPath` fills; any other
 * path (an explicit `--output`, which squeue prints unfilled) as given.
 * A literal `--output=slurm-<digits>.out` given to an array reads as the
 * default, the one path the two cannot be told apart by.
 */
export function arrayTaskOutput(
  path: string | null,
  schedulerJobId: string,
  workDir: string | null,
): string | null {
  if (path === null || workDir === null || !/^\d+_\d+$/.test(schedulerJobId)) return path;
  const dir = workDir.replace(/\/+$/, '');
  const file = path.startsWith(`${dir}/`) ? path.slice(dir.length + 1) : null;
  return file !== null && /^slurm-\d+\.out$/.test(file) ? `${dir}/slurm-%A_%a.out` : path;
}
