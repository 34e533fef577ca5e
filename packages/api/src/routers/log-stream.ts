import { tracked } from '@trpc/server';
import type { LogChunk } from '@scripthut/core';

/**
 * Streams log chunks as tracked SSE events whose id is the chunk's cursor
 * (a byte offset for files, a forward token for CloudWatch), so a
 * reconnecting client resumes exactly where it stopped; a client that read
 * the tail first starts from the tail's cursor. A read failure ends the
 * stream with its reason instead of an error.
 */
/**
 * The event id of chunks sent before any data was read (a `waiting` or `end`
 * first): SSE ids must not be empty, and a client reconnecting with it starts
 * from the beginning, as it would with none. No backend's cursor looks like it
 * (byte offsets are digits, CloudWatch tokens start with `f/`).
 */
export const NO_CURSOR = 'start';

export async function* trackedLogStream(
  open: (from: string | null) => AsyncIterable<LogChunk>,
  lastEventId: string | null | undefined,
  signal: AbortSignal | undefined,
) {
  let cursor = lastEventId === NO_CURSOR ? null : (lastEventId ?? null);
  try {
    for await (const chunk of open(cursor)) {
      if (chunk.kind === 'data') cursor = chunk.cursor;
      yield tracked(cursor ?? NO_CURSOR, chunk);
    }
  } catch (e) {
    if (signal?.aborted) return;
    const end: LogChunk = {
      kind: 'end',
      reason: `reading the log failed: ${e instanceof Error ? e.message : String(e)}`,
    };
    yield tracked(cursor ?? NO_CURSOR, end);
  }
}
