import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../src/create-app';
import { listenOnLoopback, type Listening } from './listen';
import type { CoreEvent, EventStream, Sequenced } from '@scripthut/core';
import { FakeCore, fakeJob } from './fake-core';

interface SseMessage {
  id: string | null;
  data: { kind: string; event?: { type: string; upserted?: { id: string }[] } } | null;
}

let listening: Listening | null = null;
afterEach(() => {
  listening?.close();
  listening = null;
});

async function start(core: FakeCore): Promise<string> {
  listening = await listenOnLoopback(createApp({ core }));
  return listening.base;
}

/** Reads the tRPC SSE stream until `count` data messages arrived. */
async function readMessages(url: string, count: number, headers: Record<string, string> = {}): Promise<SseMessage[]> {
  const controller = new AbortController();
  // Same-origin, as the SPA's EventSource (subscriptions from other origins are refused).
  const response = await fetch(url, { headers: { accept: 'text/event-stream', referer: `${new URL(url).origin}/`, ...headers }, signal: controller.signal });
  expect(response.headers.get('content-type')).toContain('text/event-stream');
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const messages: SseMessage[] = [];
  let buffer = '';
  while (messages.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const lines = block.split('\n');
      const data = lines.filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n');
      const id = lines.find((l) => l.startsWith('id:'))?.slice(3).trim() ?? null;
      const event = lines.find((l) => l.startsWith('event:'))?.slice(6).trim();
      if (event === undefined && data) messages.push({ id, data: JSON.parse(data) as SseMessage['data'] });
    }
  }
  controller.abort();
  return messages;
}

const streamUrl = (base: string, lastEventId?: string) =>
  `${base}/trpc/events.stream?input=${encodeURIComponent(JSON.stringify(lastEventId ? { lastEventId } : {}))}`;

describe('live stream over real HTTP and SSE', () => {
  it('starts with a reset, then pushes job changes with sequence ids', async () => {
    const core = new FakeCore();
    const base = await start(core);
    const pending = readMessages(streamUrl(base), 2);
    setTimeout(() => core.upsert(fakeJob('42')), 200);
    const [first, second] = await pending;
    expect(first?.data).toEqual({ kind: 'reset' });
    expect(second?.data?.event?.upserted?.map((j) => j.id)).toEqual(['hpc:42']);
    expect(second?.id).toMatch(new RegExp(`^${core.events.epoch}:\\d+$`));
  });

  it('resumes after a reconnect without missing or repeating a change', async () => {
    const core = new FakeCore();
    const base = await start(core);
    core.upsert(fakeJob('1'));
    const lastSeen = `${core.events.epoch}:${core.events.lastSeq}`;
    core.upsert(fakeJob('2'));
    core.upsert(fakeJob('3'));
    const messages = await readMessages(streamUrl(base, lastSeen), 2);
    expect(messages.map((m) => m.data?.event?.upserted?.[0]?.id)).toEqual(['hpc:2', 'hpc:3']);
  });

  it('tells a client from before a restart to reload', async () => {
    const core = new FakeCore();
    const base = await start(core);
    const [message] = await readMessages(streamUrl(base, 'oldepoch:17'), 1);
    expect(message?.data).toEqual({ kind: 'reset' });
  });

  it('tells a client to reload when the stream skips ids it never delivered (pruned while this server was away)', async () => {
    const core = new FakeCore();
    const stream = scriptedStream();
    core.stream = stream;
    const base = await start(core);
    const pending = readMessages(streamUrl(base, 'db1:1'), 3);
    await stream.subscribed;
    stream.emit(2, fakeJob('2'));
    stream.emit(5, fakeJob('5'));
    const messages = await pending;
    expect(messages.map((m) => [m.id, m.data?.kind])).toEqual([
      ['db1:2', 'event'],
      ['db1:4', 'reset'],
      ['db1:5', 'event'],
    ]);
  });

  it('tells a resuming client to reload when the missed events cannot be read', async () => {
    const core = new FakeCore();
    core.stream = scriptedStream(() => Promise.reject(new Error('database unreachable')));
    const base = await start(core);
    const [message] = await readMessages(streamUrl(base, 'db1:1'), 1);
    expect(message).toEqual({ id: 'db1:1', data: { kind: 'reset' } });
  });

  it('serves /health as JSON', async () => {
    const base = await start(new FakeCore());
    const response = await fetch(`${base}/health`);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(await response.json()).toMatchObject({ status: 'ok', total_jobs: 0 });
  });
});

/** A stream of epoch `db1` at id 1 whose events the test emits by hand, ids and all. */
function scriptedStream(
  since: (seq: number) => Promise<Sequenced<CoreEvent>[] | null> = () => Promise.resolve([]),
): EventStream<CoreEvent> & { emit(seq: number, job: ReturnType<typeof fakeJob>): void; subscribed: Promise<void> } {
  const listeners = new Set<(item: Sequenced<CoreEvent>) => void>();
  let lastSeq = 1;
  let onSubscribed = (): void => undefined;
  const subscribed = new Promise<void>((resolve) => (onSubscribed = resolve));
  return {
    epoch: 'db1',
    get lastSeq() {
      return lastSeq;
    },
    subscribe(listener) {
      listeners.add(listener);
      onSubscribed();
      return () => listeners.delete(listener);
    },
    since,
    prune: () => Promise.resolve(0),
    close: () => Promise.resolve(),
    subscribed,
    emit(seq, job) {
      lastSeq = seq;
      for (const l of listeners) l({ seq, event: { type: 'jobs', cluster: job.cluster, upserted: [job], removed: [] } });
    },
  };
}
