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

/** Event ids are `<epoch>:<seq>` so a client resuming against a restarted server is detected. */
const parseEventId = (id: string | null | undefined): { epoch: string; seq: number } | null => {
  const m = id ? /^([a-z0-9]+):(\d+)$/.exec(id) : null;
  return m ? { epoch: m[1]!, seq: Number(m[2]) } : null;
};

export const eventsRouter = router({
  stream: publicProcedure
    .input(z.strictObject({ lastEventId: z.string().max(100).nullish() }).default({}))
    .subscription(async function* ({ ctx, input, signal }) {
      const bus = ctx.core.events;
      const queue: Sequenced<CoreEvent>[] = [];
      let notify: (() => void) | null = null;
      const off = bus.subscribe((item) => {
        queue.push(item);
        notify?.();
      });
      const onAbort = (): void => notify?.();
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        const resume = parseEventId(input.lastEventId);
        let lastSeq = bus.lastSeq;
        if (resume) {
          const missed = resume.epoch === bus.epoch ? bus.since(resume.seq) : null;
          if (missed === null) {
            yield tracked(`${bus.epoch}:${lastSeq}`, RESET);
          } else {
            for (const item of missed) yield tracked(`${bus.epoch}:${item.seq}`, eventMessage(item.event));
            lastSeq = missed.at(-1)?.seq ?? resume.seq;
          }
        } else {
          yield tracked(`${bus.epoch}:${lastSeq}`, RESET);
        }
        while (!signal?.aborted) {
          while (queue.length > 0) {
            const item = queue.shift()!;
            if (item.seq <= lastSeq) continue;
            lastSeq = item.seq;
            yield tracked(`${bus.epoch}:${item.seq}`, eventMessage(item.event));
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
