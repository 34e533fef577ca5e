import { tracked } from '@trpc/server';
import type { LogChunk } from '@scripthut/core';

const nextOffset = (chunk: LogChunk, offset: number): number =>
  chunk.kind === 'data' ? chunk.offset + Buffer.byteLength(chunk.text, 'utf8') : offset;

/**
 * Streams log chunks as tracked SSE events whose id is the byte offset
 * reached, so a reconnecting client resumes exactly where it stopped. A read
 * failure ends the stream with its reason instead of an error.
 */
export async function* trackedLogStream(
  open: (fromOffset: number) => AsyncIterable<LogChunk>,
  lastEventId: string | null | undefined,
  signal: AbortSignal | undefined,
) {
  let offset = lastEventId ? Number(lastEventId) : 0;
  try {
    for await (const chunk of open(offset)) {
      offset = nextOffset(chunk, offset);
      yield tracked(String(offset), chunk);
    }
  } catch (e) {
    if (signal?.aborted) return;
    const end: LogChunk = { kind: 'end', reason: `reading the log failed: ${e instanceof Error ? e.message : String(e)}` };
    yield tracked(String(offset), end);
  }
}
