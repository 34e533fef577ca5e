/**
 * A bare client of the tRPC v11 `events.stream` subscription over HTTP SSE,
 * as httpSubscriptionLink speaks it: `GET /trpc/events.stream?input=<json>`
 * with `Accept: text/event-stream`. Frames end with a blank line; the server
 * sends `event: connected` first, `event: ping` every 10 s, and each tracked
 * message as `data: <json>` + `id: <epoch:seq>` (no `event:` line).
 * `Origin` is sent as a page of this server would: the API refuses
 * subscriptions without one (cross-site protection).
 */
export interface SseFrame {
  event: string | null;
  data: string;
  id: string | null;
}

export interface SseSubscription {
  /** Resolves with the first data message (the stream's `reset`): the server-side subscriber is registered. */
  ready: Promise<void>;
  /** Data messages received so far (pings and `connected` excluded). */
  readonly messages: number;
  close(): void;
}

export function subscribeEvents(
  baseUrl: string,
  onData: (data: unknown) => void = () => undefined,
): SseSubscription {
  const controller = new AbortController();
  let messages = 0;
  let markReady!: () => void;
  let fail!: (e: unknown) => void;
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    fail = reject;
  });
  const url = `${baseUrl}/trpc/events.stream?input=${encodeURIComponent(JSON.stringify({}))}`;
  const read = async (): Promise<void> => {
    const response = await fetch(url, {
      headers: { Accept: 'text/event-stream', Origin: baseUrl },
      signal: controller.signal,
    });
    if (!response.ok || response.body === null)
      throw new Error(`events.stream answered HTTP ${response.status}`);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end !== -1) {
        const frame = parseFrame(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf('\n\n');
        if (frame.event === 'serialized-error')
          throw new Error(`events.stream error: ${frame.data}`);
        if (frame.event !== null || frame.data === '') continue;
        messages++;
        onData(JSON.parse(frame.data) as unknown);
        markReady();
      }
    }
  };
  read().catch((e: unknown) => {
    if (!controller.signal.aborted) fail(e);
  });
  return {
    ready,
    get messages() {
      return messages;
    },
    close: () => controller.abort(),
  };
}

function parseFrame(text: string): SseFrame {
  const frame: SseFrame = { event: null, data: '', id: null };
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const field = line.slice(0, colon);
    const value = line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') frame.event = value;
    else if (field === 'data') frame.data = frame.data === '' ? value : `${frame.data}\n${value}`;
    else if (field === 'id') frame.id = value;
  }
  return frame;
}
