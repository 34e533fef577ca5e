/**
 * What slurmd says when it could not launch a batch job, by its error code
 * (slurm_errno.h, where these values are pinned). Only codes that mean the
 * script never ran are here: an epilog failure (4023) comes after it ran.
 */
const LAUNCH_ERRORS: Readonly<Record<number, { words: string; hint?: string }>> = {
  4010: { words: "slurmd could not create the job's batch directory or script on the node" },
  4014: { words: "slurmd could not set up the job's environment on the node" },
  4016: { words: "slurmd could not switch to the job's user or group on the node" },
  4020: { words: 'slurmd could not execute the job script' },
  4021: {
    words: "Slurm could not open the job's output or error file",
    hint: "Check that the directory of --output and --error exists on the node and that the job's user may write to it.",
  },
  4022: { words: "the node's prolog failed" },
};

/**
 * A failed job's "signal" read as the launch error it stands for, in words;
 * null when it is a real signal. The exit status of a job slurmd could not
 * launch is the error code itself, so sacct prints `0:<code & 127>`: 4021
 * (ESLURMD_IO_ERROR) reads as `0:53` (sacct-missing-output-dir,
 * sacct-unwritable-output-dir). slurmd's codes 4000-4031 land on 32-63,
 * above every standard signal.
 */
export function slurmLaunchFailure(signal: number): string | null {
  if (signal < 32 || signal > 63) return null;
  const code = 3968 + signal;
  const known = LAUNCH_ERRORS[code];
  if (known === undefined) return null;
  const hint = known.hint === undefined ? '' : ` ${known.hint}`;
  return `Could not start: ${known.words} (slurmd error ${code}, shown by sacct as signal ${signal}).${hint}`;
}
