import { tracked } from '@trpc/server';
import type { CoreEvent, Sequenced } from '@scripthut/core';
import { z } from 'zod';
import { publicProcedure, router } from '../trpc';

/**
 * Payload of the multiplexed stream. `reset` tells a client that events were
 * missed (buffer overrun or server restart): reload state, then apply events.
 */
export type StreamMessage = { kind: 'event'; event: CoreEvent } | { kind: 'reset' };

const RESET: StreamMessage = { kind: 'reset' };
const eventMessage = (event: CoreEvent): StreamMessage => ({ kind: 'event', event });

/**
 * Event ids are `<epoch>:<seq>`: the stream's epoch (per process on SQLite, per
 * database on PostgreSQL, so any instance resumes a client of another) and the
 * event's id in it. A client resuming against another stream is told to reload.
 */
const parseEventId = (id: string | null | undefined): { epoch: string; seq: number } | null => {
  const m = id ? /^([a-z0-9]+):(\d+)$/.exec(id) : null;
  return m ? { epoch: m[1]!, seq: Number(m[2]) } : null;
};

export const eventsRouter = router({
  stream: publicProcedure
    .input(z.strictObject({ lastEventId: z.string().max(100).nullish() }).default({}))
    .subscription(async function* ({ ctx, input, signal }) {
      const stream = ctx.core.stream;
      const id = (seq: number): string => `${stream.epoch}:${seq}`;
      const queue: Sequenced<CoreEvent>[] = [];
      let notify: (() => void) | null = null;
      // Before `since`, so every event after what it returns arrives here.
      const off = stream.subscribe((item) => {
        queue.push(item);
        notify?.();
      });
      const onAbort = (): void => notify?.();
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        const resume = parseEventId(input.lastEventId);
        let lastSeq = stream.lastSeq;
        const missed =
          resume?.epoch === stream.epoch ? await stream.since(resume.seq).catch(() => null) : null;
        if (resume === null || missed === null) {
          yield tracked(id(lastSeq), RESET);
        } else {
          for (const item of missed) yield tracked(id(item.seq), eventMessage(item.event));
          lastSeq = missed.at(-1)?.seq ?? resume.seq;
        }
        while (!signal?.aborted) {
          while (queue.length > 0) {
            const item = queue.shift()!;
            if (item.seq <= lastSeq) continue;
            // Ids have no gaps: a jump means events were pruned before this instance read them.
            if (item.seq > lastSeq + 1) yield tracked(id(item.seq - 1), RESET);
            lastSeq = item.seq;
            yield tracked(id(item.seq), eventMessage(item.event));
          }
          if (signal?.aborted) break;
          await new Promise<void>((resolve) => {
            notify = resolve;
          });
          notify = null;
        }
      } finally {
        off();
        signal?.removeEventListener('abort', onAbort);
      }
    }),
});
