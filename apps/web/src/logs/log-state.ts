import type { LogSnapshot } from './log-types';

/** Where a followed log stands. */
export type FollowPhase =
  | { kind: 'off' }
  | { kind: 'connecting' }
  | { kind: 'streaming' }
  /** The file does not exist yet; `reason` says which file. */
  | { kind: 'waiting'; reason: string }
  | { kind: 'ended'; reason: string }
  | { kind: 'error'; message: string };

export type SnapshotPhase =
  { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ready'; log: LogSnapshot };

export type LogStateKind =
  'loading' | 'missing' | 'unavailable' | 'empty' | 'lines' | 'waiting' | 'ended' | 'error';

export interface LogStateView {
  kind: LogStateKind;
  /** One line for the status bar. */
  text: string;
  /** More, for a tooltip or a second line; null when none. */
  detail: string | null;
}

export const MISSING_TEXT =
  'The file does not exist yet (the job has not started, or it writes elsewhere)';

/** What the viewer says about the log, from the snapshot or the follow stream and the lines shown. */
export function logState(o: {
  snapshot: SnapshotPhase;
  follow: FollowPhase;
  lineCount: number;
  tailLines: number;
}): LogStateView {
  const { follow, snapshot, lineCount } = o;
  switch (follow.kind) {
    case 'error':
      return { kind: 'error', text: follow.message, detail: null };
    case 'connecting':
      return { kind: 'loading', text: 'Loading…', detail: null };
    case 'waiting':
      return { kind: 'waiting', text: 'Waiting for the job to write…', detail: follow.reason };
    case 'streaming':
      return { kind: 'waiting', text: 'Waiting for the job to write…', detail: 'Following live' };
    case 'ended':
      return {
        kind: 'ended',
        text: lineCount === 0 ? 'Job finished — end of log (empty)' : 'Job finished — end of log',
        detail: follow.reason,
      };
    case 'off':
      break;
  }
  switch (snapshot.kind) {
    case 'loading':
      return { kind: 'loading', text: 'Loading…', detail: null };
    case 'error':
      return { kind: 'error', text: snapshot.message, detail: null };
    case 'ready':
      break;
  }
  const log = snapshot.log;
  if (log.unavailable !== null) return { kind: 'unavailable', text: log.unavailable, detail: null };
  if (!log.exists) return { kind: 'missing', text: MISSING_TEXT, detail: log.path };
  if (lineCount === 0) return { kind: 'empty', text: 'Empty', detail: log.path };
  return {
    kind: 'lines',
    text:
      lineCount < o.tailLines
        ? `${lineCount} line${lineCount === 1 ? '' : 's'} (the whole file)`
        : `Last ${o.tailLines} lines`,
    detail: log.path,
  };
}
