import type { JobOutcome, JobState } from '../../domain/job';

/** Every job state Slurm 22.05 prints in long form (squeue man page, JOB STATE CODES). */
export const SLURM_STATES = [
  'BOOT_FAIL',
  'CANCELLED',
  'COMPLETED',
  'CONFIGURING',
  'COMPLETING',
  'DEADLINE',
  'FAILED',
  'NODE_FAIL',
  'OUT_OF_MEMORY',
  'PENDING',
  'PREEMPTED',
  'RUNNING',
  'RESV_DEL_HOLD',
  'REQUEUE_FED',
  'REQUEUE_HOLD',
  'REQUEUED',
  'RESIZING',
  'REVOKED',
  'SIGNALING',
  'SPECIAL_EXIT',
  'STAGE_OUT',
  'STOPPED',
  'SUSPENDED',
  'TIMEOUT',
] as const;
export type SlurmState = (typeof SLURM_STATES)[number];

/**
 * Spellings sacct prints when a fixed-width State column cuts the text
 * (`CANCELLED by 1001` -> `CANCELLED+`). Our `-p` output never truncates,
 * but raw states stored by older code or pasted by users may carry them.
 */
export const TRUNCATED_SLURM_STATES = {
  'CANCELLED+': 'CANCELLED',
  'OUT_OF_ME+': 'OUT_OF_MEMORY',
  'CONFIGURI+': 'CONFIGURING',
  'RESV_DEL_+': 'RESV_DEL_HOLD',
  'REQUEUE_F+': 'REQUEUE_FED',
  'REQUEUE_H+': 'REQUEUE_HOLD',
  'SPECIAL_E+': 'SPECIAL_EXIT',
} as const satisfies Record<string, SlurmState>;

/**
 * Raw Slurm state -> dashboard state. Choices:
 * - waiting in the scheduler's queue (PENDING and the requeue/hold variants,
 *   SPECIAL_EXIT which is a requeued job held in the queue) -> `submitted`;
 * - holding an allocation (CONFIGURING, RUNNING, SUSPENDED, STOPPED,
 *   SIGNALING, RESIZING) -> `running`: the job has started and owns resources;
 * - COMPLETING, STAGE_OUT -> `finishing`: processes are ending, the exit
 *   status is not final yet;
 * - COMPLETED -> `finishing`, not `completed`: only accounting confirms a
 *   success (a COMPLETED job can still carry a non-zero exit code, and the
 *   batch step can be OUT_OF_MEMORY under a COMPLETED allocation);
 * - PREEMPTED -> `finishing`: a preempted job may be requeued;
 * - definite failures -> `failed` (no later record turns them into success);
 * - REVOKED (federation: this sibling was withdrawn, the job lives on another
 *   cluster) -> `unknown`.
 */
export const SLURM_STATE_TO_JOB_STATE = {
  BOOT_FAIL: 'failed',
  CANCELLED: 'failed',
  COMPLETED: 'finishing',
  CONFIGURING: 'running',
  COMPLETING: 'finishing',
  DEADLINE: 'failed',
  FAILED: 'failed',
  NODE_FAIL: 'failed',
  OUT_OF_MEMORY: 'failed',
  PENDING: 'submitted',
  PREEMPTED: 'finishing',
  RUNNING: 'running',
  RESV_DEL_HOLD: 'submitted',
  REQUEUE_FED: 'submitted',
  REQUEUE_HOLD: 'submitted',
  REQUEUED: 'submitted',
  RESIZING: 'running',
  REVOKED: 'unknown',
  SIGNALING: 'running',
  SPECIAL_EXIT: 'submitted',
  STAGE_OUT: 'finishing',
  STOPPED: 'running',
  SUSPENDED: 'running',
  TIMEOUT: 'failed',
} as const satisfies Record<SlurmState, JobState>;

/** Terminal Slurm states -> how the job ended; null while the job can still change. */
export const SLURM_STATE_TO_OUTCOME = {
  BOOT_FAIL: 'BOOT_FAIL',
  CANCELLED: 'CANCELLED',
  COMPLETED: 'COMPLETED',
  CONFIGURING: null,
  COMPLETING: null,
  DEADLINE: 'DEADLINE',
  FAILED: 'FAILED',
  NODE_FAIL: 'NODE_FAIL',
  OUT_OF_MEMORY: 'OUT_OF_MEMORY',
  PENDING: null,
  PREEMPTED: 'PREEMPTED',
  RUNNING: null,
  RESV_DEL_HOLD: null,
  REQUEUE_FED: null,
  REQUEUE_HOLD: null,
  REQUEUED: null,
  RESIZING: null,
  REVOKED: null,
  SIGNALING: null,
  SPECIAL_EXIT: null,
  STAGE_OUT: null,
  STOPPED: null,
  SUSPENDED: null,
  TIMEOUT: 'TIMEOUT',
} as const satisfies Record<SlurmState, JobOutcome | null>;

const KNOWN = new Set<string>(SLURM_STATES);
const isSlurmState = (word: string): word is SlurmState => KNOWN.has(word);
const isTruncated = (word: string): word is keyof typeof TRUNCATED_SLURM_STATES =>
  Object.hasOwn(TRUNCATED_SLURM_STATES, word);

/** Pollers see a handful of distinct state texts thousands of times; the bound caps odd input. */
const STATE_CACHE_LIMIT = 1024;
const stateCache = new Map<string, SlurmState | null>();

/**
 * The Slurm state named by raw text such as `RUNNING`, `CANCELLED by 1001` or
 * `CANCELLED+`; null when the text names no state we know.
 */
export function slurmStateOf(raw: string): SlurmState | null {
  const cached = stateCache.get(raw);
  if (cached !== undefined) return cached;
  const state = readSlurmState(raw);
  if (stateCache.size >= STATE_CACHE_LIMIT) stateCache.clear();
  stateCache.set(raw, state);
  return state;
}

function readSlurmState(raw: string): SlurmState | null {
  const word = raw.trim().split(/\s+/, 1)[0] ?? '';
  if (isSlurmState(word)) return word;
  if (isTruncated(word)) return TRUNCATED_SLURM_STATES[word];
  return null;
}

/** Dashboard state for raw Slurm state text; `unknown` for text we cannot map. */
export function jobStateOf(raw: string): JobState {
  const state = slurmStateOf(raw);
  return state === null ? 'unknown' : SLURM_STATE_TO_JOB_STATE[state];
}
