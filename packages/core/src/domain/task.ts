import { z } from 'zod';

/** Bounds on one task of a task source; each is stated in the error that enforces it. */
export const TASK_LIMITS = {
  idChars: 128,
  nameChars: 256,
  commandBytes: 1_048_576,
  workingDirChars: 4_096,
  maxCpus: 4_096,
  /** Ids one task may list in `depends_on`. */
  dependsOn: 1_000,
} as const;

/** True when `s` has no C0 control character or DEL (no newline can sneak into a directive line). */
const noControlChars = (s: string): boolean => {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return false;
  }
  return true;
};

/** Browser-safe (no Buffer): the web reuses this schema. */
const utf8Length = (s: string): number => new TextEncoder().encode(s).length;

/** A task id; also a file name (the task's log files), hence the charset. */
export const TaskId = z
  .string()
  .min(1)
  .max(TASK_LIMITS.idChars)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" or "-", starting with a letter or digit');

/** Memory as Slurm's --mem takes it. */
export const TaskMemory = z.string().regex(/^[1-9][0-9]{0,9}[KMGTkmgt]?$/, 'a size such as 500M, 4G or 4000 (megabytes)');

/** A time limit as Slurm's --time takes it. */
export const TaskTimeLimit = z
  .string()
  .regex(
    /^(?:(?:\d{1,4}-)?\d{1,6}(?::\d{1,2}){0,2}|UNLIMITED|INFINITE)$/,
    'a Slurm time such as 30, 1:00:00, 2-12:00:00 or UNLIMITED',
  );

/**
 * One task as a task source prints it (the seed's fields). Values reach a
 * shell or an `#SBATCH` line only through the backend's renderer, which
 * quotes them; the formats below keep directive values to what the scheduler
 * accepts, so a value can never add a line or a second option.
 */
export const TaskSpec = z.strictObject({
  id: TaskId,
  name: z.string().min(1).max(TASK_LIMITS.nameChars).refine(noControlChars, 'no control characters (newlines, tabs)'),
  command: z
    .string()
    .min(1)
    .refine((c) => utf8Length(c) <= TASK_LIMITS.commandBytes, {
      message: `at most ${TASK_LIMITS.commandBytes} bytes (1 MB)`,
    }),
  /** `~` and `~/…` mean the home directory on the cluster. */
  working_dir: z
    .string()
    .min(1)
    .max(TASK_LIMITS.workingDirChars)
    .refine(noControlChars, 'no control characters (newlines, tabs)')
    .default('~'),
  /** Null: the cluster's configured `partition`, else the scheduler's default partition. */
  partition: z
    .string()
    .max(256)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._,-]*$/, 'a partition name (letters, digits, ".", "_", "-"; "," between several)')
    .nullable()
    .default(null),
  cpus: z.number().int().min(1).max(TASK_LIMITS.maxCpus).default(1),
  memory: TaskMemory.default('4G'),
  time_limit: TaskTimeLimit.default('1:00:00'),
  /**
   * Ids of tasks of the same source that must complete before this one is
   * submitted (the original's `deps` means the same). Checked whole before
   * anything is submitted: every id must exist, none may be the task itself,
   * and there may be no cycle.
   */
  depends_on: z
    .array(TaskId)
    .max(TASK_LIMITS.dependsOn)
    .refine((ids) => new Set(ids).size === ids.length, 'each id at most once')
    .default([]),
});
export type TaskSpec = z.infer<typeof TaskSpec>;
export type TaskSpecInput = z.input<typeof TaskSpec>;

/** Fields of the original ScriptHut that are refused with an explanation instead of being ignored. */
export const REFUSED_TASK_FIELDS: Readonly<Record<string, string>> = {
  output_file: 'logs always go to <log_dir>/<queue id>/<task id>.out under the cluster\'s configured log_dir',
  error_file: 'logs always go to <log_dir>/<queue id>/<task id>.err under the cluster\'s configured log_dir',
  dependencies: 'dependencies are given as "depends_on" (or "deps"): a list of task ids',
};
