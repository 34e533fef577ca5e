import type { SourceStatus } from '@scripthut/core/domain';
import type { BadgeTone } from '../format/job-badge';

/** The card's state badge: a failed sync keeps a cloned checkout usable, so it is a warning, not an outage. */
export function sourceBadge(s: SourceStatus): { tone: BadgeTone; label: string } {
  if (s.syncing) return { tone: 'progress', label: s.cloned ? 'syncing' : 'cloning' };
  if (s.lastError !== null)
    return s.cloned
      ? { tone: 'warning', label: 'sync failed' }
      : { tone: 'danger', label: 'not cloned' };
  if (s.cloned) return { tone: 'success', label: 'synced' };
  return { tone: 'neutral', label: 'not synced yet' };
}

/** `Receiving objects 45% (450/1000)`, or just the phase when the total is unknown. */
export function progressText(progress: SourceStatus['progress']): string | null {
  if (!progress) return null;
  if (progress.total > 0) {
    const percent = Math.min(100, Math.floor((progress.loaded / progress.total) * 100));
    return `${progress.phase} ${percent}% (${progress.loaded.toLocaleString()}/${progress.total.toLocaleString()})`;
  }
  return progress.loaded > 0
    ? `${progress.phase} (${progress.loaded.toLocaleString()})`
    : progress.phase;
}

const OUTCOME_WORDS = {
  cloned: 'cloned',
  'fast-forwarded': 'fast-forwarded',
  'up-to-date': 'already up to date',
  reset: 'reset to the remote',
} as const satisfies Record<NonNullable<SourceStatus['lastSyncOutcome']>, string>;

/** `already up to date, 324 B received`: what the last successful sync did and cost; null before one. */
export function lastSyncText(s: SourceStatus): string | null {
  if (s.lastSyncOutcome === null) return null;
  const words = OUTCOME_WORDS[s.lastSyncOutcome];
  return s.lastSyncBytes === null ? words : `${words}, ${formatBytes(s.lastSyncBytes)} received`;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export const shortSha = (sha: string): string => sha.slice(0, 10);

/** Errors a reset fixes: the upstream branch was rewritten, or the checkout was changed locally. */
export const canReset = (s: SourceStatus): boolean =>
  s.cloned && (s.lastErrorKind === 'non_fast_forward' || s.lastErrorKind === 'local_changes');

/** The list with `status` replacing the source of the same name (kept in configuration order). */
export function withStatus(list: readonly SourceStatus[], status: SourceStatus): SourceStatus[] {
  const i = list.findIndex((s) => s.name === status.name);
  return i === -1 ? [...list, status] : list.with(i, status);
}
