import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../src/create-app';
import { listenOnLoopback, type Listening } from './listen';
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

  it('serves /health as JSON', async () => {
    const base = await start(new FakeCore());
    const response = await fetch(`${base}/health`);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(await response.json()).toMatchObject({ status: 'ok', total_jobs: 0 });
  });
});
