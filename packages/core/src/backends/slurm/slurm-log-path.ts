import type { LocateLog } from '../file-logs/file-logs';
import { recordedLogPath } from '../file-logs/file-logs';
import { expandOutputPath } from './expand-output-path';

/**
 * The file of a Slurm job's log: squeue reports the `--output` pattern
 * (`slurm-%j.out`), filled here as sbatch fills it. stderr defaults to
 * stdout, as in sbatch.
 */
export const slurmLogPath: LocateLog = (job, kind) => {
  const recorded = recordedLogPath(job, kind);
  if (!recorded.ok) return recorded;
  const node = job.nodes !== null && /^[A-Za-z0-9._-]+$/.test(job.nodes) ? job.nodes : null;
  return expandOutputPath(recorded.path, { schedulerJobId: job.schedulerJobId ?? '', user: job.user, name: job.name, node });
};
