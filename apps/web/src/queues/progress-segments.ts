import type { BadgeTone } from '../format/job-badge';
import type { TaskCounts, TaskState } from './queue-types';

export interface ProgressSegment {
  key: 'completed' | 'failed' | 'cancelled' | 'skipped' | 'running' | 'queued' | 'pending';
  label: string;
  tone: BadgeTone;
  count: number;
}

/** Segments of a queue's progress bar, finished work first; every task state belongs to exactly one. */
const GROUPS = [
  { key: 'completed', label: 'completed', tone: 'success', states: ['completed'] },
  { key: 'failed', label: 'failed', tone: 'danger', states: ['failed', 'unknown'] },
  { key: 'cancelled', label: 'cancelled', tone: 'warning', states: ['cancelled'] },
  { key: 'skipped', label: 'skipped', tone: 'neutral', states: ['skipped'] },
  { key: 'running', label: 'running', tone: 'progress', states: ['running', 'finishing'] },
  { key: 'queued', label: 'queued', tone: 'info', states: ['submitting', 'submitted'] },
  { key: 'pending', label: 'pending', tone: 'neutral', states: ['pending'] },
] as const satisfies readonly {
  key: ProgressSegment['key'];
  label: string;
  tone: BadgeTone;
  states: readonly TaskState[];
}[];

export function progressSegments(counts: TaskCounts): ProgressSegment[] {
  return GROUPS.map((g) => ({
    key: g.key,
    label: g.label,
    tone: g.tone,
    count: (g.states as readonly TaskState[]).reduce((sum, s) => sum + counts[s], 0),
  }));
}

/** `4/10 done · 2 failed · 1 running · 3 pending`: the non-zero segments after the finished share. */
export function progressText(counts: TaskCounts, total: number): string {
  const segments = progressSegments(counts);
  const done = segments
    .filter(
      (s) =>
        s.key === 'completed' || s.key === 'failed' || s.key === 'cancelled' || s.key === 'skipped',
    )
    .reduce((sum, s) => sum + s.count, 0);
  const parts = segments.filter((s) => s.count > 0).map((s) => `${s.count} ${s.label}`);
  return [`${done}/${total} done`, ...parts].join(' · ');
}
