import { describe, expect, it } from 'vitest';
import { logState, MISSING_TEXT, type FollowPhase, type SnapshotPhase } from './log-state';

const ready = (
  over: Partial<{ exists: boolean; content: string; unavailable: string | null }> = {},
): SnapshotPhase => ({
  kind: 'ready',
  log: {
    path: '/logs/t1.out',
    exists: true,
    content: '',
    unavailable: null,
    cursor: null,
    ...over,
  },
});
const off: FollowPhase = { kind: 'off' };
const state = (snapshot: SnapshotPhase, follow: FollowPhase = off, lineCount = 0) =>
  logState({ snapshot, follow, lineCount, tailLines: 100 });

describe('logState', () => {
  it('tells a missing file from an empty one', () => {
    expect(state(ready({ exists: false }))).toMatchObject({
      kind: 'missing',
      text: MISSING_TEXT,
      detail: '/logs/t1.out',
    });
    expect(state(ready())).toMatchObject({ kind: 'empty', text: 'Empty' });
  });

  it('says why a log cannot be read at all', () => {
    expect(state(ready({ exists: false, unavailable: 'No output file reported' })).text).toBe(
      'No output file reported',
    );
  });

  it('says whether the lines are the whole file or its end', () => {
    expect(state(ready(), off, 3).text).toBe('3 lines (the whole file)');
    expect(state(ready(), off, 100).text).toBe('Last 100 lines');
  });

  it('shows loading until the first answer, and errors in full', () => {
    expect(state({ kind: 'loading' }).text).toBe('Loading…');
    expect(state({ kind: 'error', message: 'Cannot read /x: Permission denied\nmore' }).text).toBe(
      'Cannot read /x: Permission denied\nmore',
    );
  });

  it('while following, says it waits for the job, and when the job ended', () => {
    expect(state({ kind: 'loading' }, { kind: 'connecting' }).text).toBe('Loading…');
    expect(
      state({ kind: 'loading' }, { kind: 'waiting', reason: '/logs/t1.out does not exist yet' }),
    ).toMatchObject({
      kind: 'waiting',
      text: 'Waiting for the job to write…',
      detail: '/logs/t1.out does not exist yet',
    });
    expect(state(ready(), { kind: 'streaming' }, 5).kind).toBe('waiting');
    expect(state(ready(), { kind: 'ended', reason: 'the job is completed' }, 5)).toMatchObject({
      kind: 'ended',
      text: 'Job finished — end of log',
      detail: 'the job is completed',
    });
  });
});
