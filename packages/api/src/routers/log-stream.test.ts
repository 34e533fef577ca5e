import type { LogChunk } from '@scripthut/core';
import { describe, expect, it } from 'vitest';
import { NO_CURSOR, trackedLogStream } from './log-stream';

/** tRPC's tracked envelope is `[id, data, marker]`. */
async function collect(stream: AsyncIterable<unknown>): Promise<{ id: unknown; data: unknown }[]> {
  const out: { id: unknown; data: unknown }[] = [];
  for await (const item of stream) {
    const [id, data] = item as [unknown, unknown];
    out.push({ id, data });
  }
  return out;
}

describe('log streams as tracked SSE events', () => {
  it('gives chunks sent before any data an id a reconnect reads as "from the beginning"', async () => {
    const opened: (string | null)[] = [];
    const open = async function* (from: string | null): AsyncGenerator<LogChunk> {
      opened.push(from);
      await Promise.resolve();
      yield { kind: 'waiting', reason: 'the job has not started yet' };
      yield { kind: 'data', offset: 0, text: 'hello\n', cursor: '6' };
    };
    const first = await collect(trackedLogStream(open, null, undefined));
    expect(first.map((e) => e.id)).toEqual([NO_CURSOR, '6']);
    await collect(trackedLogStream(open, NO_CURSOR, undefined));
    await collect(trackedLogStream(open, '6', undefined));
    expect(opened).toEqual([null, null, '6']);
  });

  it('ends with the reason when reading fails before any data', async () => {
    const open = async function* (): AsyncGenerator<LogChunk> {
      await Promise.reject(new Error('permission denied'));
      yield { kind: 'end', reason: 'never reached' };
    };
    const events = await collect(trackedLogStream(open, null, undefined));
    expect(events).toEqual([
      { id: NO_CURSOR, data: { kind: 'end', reason: 'reading the log failed: permission denied' } },
    ]);
  });
});
