import type { CoreEvent } from '@scripthut/core';

export interface StreamMessage {
  id: string | null;
  data: { kind: 'event'; event: CoreEvent } | { kind: 'reset' };
}

export interface StreamClient {
  /** Every data message so far, in arrival order. */
  readonly messages: StreamMessage[];
  /** Resolves once a message satisfies `test` (rejects if the stream ends first). */
  until(test: (m: StreamMessage) => boolean): Promise<StreamMessage>;
  close(): void;
}

/** Test helper: the live stream of a server as the SPA reads it (same origin, resuming from `lastEventId`). */
export async function openStream(base: string, lastEventId?: string): Promise<StreamClient> {
  const url = `${base}/trpc/events.stream?input=${encodeURIComponent(JSON.stringify(lastEventId ? { lastEventId } : {}))}`;
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { accept: 'text/event-stream', referer: `${base}/` },
    signal: controller.signal,
  });
  if (!response.ok || response.body === null) throw new Error(`stream refused: ${response.status}`);
  const messages: StreamMessage[] = [];
  const waiters = new Set<{
    test: (m: StreamMessage) => boolean;
    resolve: (m: StreamMessage) => void;
    reject: (e: Error) => void;
  }>();
  let ended = false;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  void (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const lines = buffer.slice(0, end).split('\n');
          buffer = buffer.slice(end + 2);
          const data = lines
            .filter((l) => l.startsWith('data:'))
            .map((l) => l.slice(5).trim())
            .join('\n');
          if (lines.some((l) => l.startsWith('event:')) || !data) continue;
          const message = {
            id:
              lines
                .find((l) => l.startsWith('id:'))
                ?.slice(3)
                .trim() ?? null,
            data: JSON.parse(data) as StreamMessage['data'],
          };
          messages.push(message);
          for (const w of waiters) {
            if (!w.test(message)) continue;
            waiters.delete(w);
            w.resolve(message);
          }
        }
      }
    } catch {
      // Aborted by close().
    }
    ended = true;
    for (const w of waiters) w.reject(new Error('the stream ended'));
  })();
  return {
    messages,
    until: (test) => {
      const found = messages.find(test);
      if (found) return Promise.resolve(found);
      if (ended) return Promise.reject(new Error('the stream ended'));
      return new Promise((resolve, reject) => waiters.add({ test, resolve, reject }));
    },
    close: () => controller.abort(),
  };
}

/** The number after the colon of an event id. */
export const seqOf = (m: StreamMessage): number => Number(m.id?.split(':')[1]);
