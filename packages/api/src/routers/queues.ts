import { tracked } from '@trpc/server';
import type { LogChunk } from '@scripthut/core';
import { z } from 'zod';
import { publicProcedure, router } from '../trpc';
import { LogRef, QueueId, TailLines, TaskRef } from './queue-inputs';

/** Byte offset after a chunk: the resume point a reconnecting client sends back as lastEventId. */
const nextOffset = (chunk: LogChunk, offset: number): number =>
  chunk.kind === 'data' ? chunk.offset + Buffer.byteLength(chunk.text, 'utf8') : offset;

export const queuesRouter = router({
  list: publicProcedure.query(({ ctx }) => ctx.core.queues.listQueues()),
  get: publicProcedure.input(z.strictObject({ id: QueueId })).query(({ ctx, input }) => ctx.core.queues.getQueue(input.id)),
  cancel: publicProcedure.input(z.strictObject({ id: QueueId })).mutation(({ ctx, input }) => ctx.core.queues.cancelQueue(input.id)),
  cancelTask: publicProcedure.input(TaskRef).mutation(({ ctx, input }) => ctx.core.queues.cancelTask(input.queueId, input.taskId)),
  script: publicProcedure.input(TaskRef).query(({ ctx, input }) => ({ script: ctx.core.queues.taskScript(input.queueId, input.taskId) })),
  /** Last `tail` lines (default 200); `exists: false` when the file is missing, distinct from an empty file. */
  log: publicProcedure
    .input(LogRef.extend({ tail: TailLines.optional() }))
    .query(({ ctx, input }) => ctx.core.queues.taskLog(input.queueId, input.taskId, input.kind, input.tail === undefined ? {} : { tail: input.tail })),
  /** Appended log text as it is written, until the job has ended. Resumes from the byte offset in lastEventId. */
  logFollow: publicProcedure
    .input(LogRef.extend({ lastEventId: z.string().regex(/^\d{1,15}$/).nullish() }))
    .subscription(async function* ({ ctx, input, signal }) {
      let offset = input.lastEventId ? Number(input.lastEventId) : 0;
      const chunks = ctx.core.queues.followTaskLog(input.queueId, input.taskId, input.kind, {
        fromOffset: offset,
        ...(signal ? { signal } : {}),
      });
      try {
        for await (const chunk of chunks) {
          offset = nextOffset(chunk, offset);
          yield tracked(String(offset), chunk);
        }
      } catch (e) {
        if (signal?.aborted) return;
        const end: LogChunk = { kind: 'end', reason: `reading the log failed: ${e instanceof Error ? e.message : String(e)}` };
        yield tracked(String(offset), end);
      }
    }),
});
