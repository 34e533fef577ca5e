import { createHash } from 'node:crypto';

/**
 * What ScriptHut writes on the tasks it runs, and reads back: tags, the
 * `startedBy` value, the idempotency token and the StopTask reasons. Tags are
 * deleted by StopTask (model: StopTask), so the tag is also sent in the
 * container's environment, which DescribeTasks keeps in `overrides`.
 */
export const TAG_KEY = 'scripthut:tag';
export const TIME_LIMIT_TAG_KEY = 'scripthut:time-limit-seconds';
/** The exact login name; startedBy can only carry a sanitised one. */
export const USER_TAG_KEY = 'scripthut:user';
export const TAG_ENV = 'SCRIPTHUT_TAG';
export const NAME_ENV = 'SCRIPTHUT_JOB_NAME';

/**
 * ECS allows only letters, digits, `-`, `/` and `_` in startedBy (up to 128),
 * so the separator is `/` and other characters of the login name become `_`.
 */
const STARTED_BY_PREFIX = 'scripthut/';
export function startedByFor(user: string): string {
  const safe = user.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 128 - STARTED_BY_PREFIX.length);
  return STARTED_BY_PREFIX + (safe === '' ? '_' : safe);
}

/** The (sanitised) user of a ScriptHut startedBy value; null for anyone else's. */
export function userOfStartedBy(startedBy: string | undefined): string | null {
  if (startedBy === undefined || !startedBy.startsWith(STARTED_BY_PREFIX)) return null;
  return startedBy.slice(STARTED_BY_PREFIX.length) || null;
}

const TOKEN = /^[\x21-\x7e]{1,64}$/;

/**
 * RunTask's clientToken (≤64 characters, ASCII 33-126) for a submission tag:
 * the tag itself when it fits (ScriptHut's `sh-<queue>-<position>-<hex>`
 * always does), else a digest of it. Deterministic: a retry of the same
 * submission sends the same token, and ECS starts the task at most once.
 */
export function clientTokenFor(tag: string): string {
  if (TOKEN.test(tag)) return tag;
  return `sh-${createHash('sha256').update(tag).digest('hex').slice(0, 61)}`;
}

/** `[D-]H:MM:SS`, as Slurm shows durations. */
export function formatDurationSeconds(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const days = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3_600);
  const m = Math.floor((s % 3_600) / 60);
  const sec = s % 60;
  const hms = `${days > 0 ? String(h).padStart(2, '0') : h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}`;
  return days > 0 ? `${days}-${hms}` : hms;
}

const TIME_LIMIT_REASON = /^ScriptHut: time limit (\S+) exceeded/;
const CANCEL_REASON = /^Cancelled from ScriptHut by (.+)$/;

/** StopTask reason when ScriptHut enforces `time_limit` (ECS has no time limit of its own). */
export const timeLimitStopReason = (limitSeconds: number): string =>
  `ScriptHut: time limit ${formatDurationSeconds(limitSeconds)} exceeded`;

export const cancelStopReason = (user: string): string => `Cancelled from ScriptHut by ${user}`;

export const isTimeLimitStop = (stoppedReason: string | undefined): boolean =>
  stoppedReason !== undefined && TIME_LIMIT_REASON.test(stoppedReason);

/** Who cancelled, from the StopTask reason ScriptHut sends; null for any other reason. */
export function cancelledByOf(stoppedReason: string | undefined): string | null {
  return stoppedReason === undefined ? null : (CANCEL_REASON.exec(stoppedReason)?.[1] ?? null);
}

/** The task id: the last segment of `arn:aws:ecs:<region>:<account>:task/<cluster>/<id>` (or of the old `task/<id>`). */
export const taskIdOf = (taskArnOrId: string): string =>
  taskArnOrId.slice(taskArnOrId.lastIndexOf('/') + 1);
