/** An event with its position in the stream. Sequence numbers start at 1 and never repeat within a process. */
export interface Sequenced<E> {
  seq: number;
  event: E;
}

export type Unsubscribe = () => void;

/**
 * In-process typed event stream with a bounded replay buffer, the seam
 * between core and the API. A subscriber that reconnects asks for the events
 * after the last sequence number it saw; if they have fallen out of the
 * buffer (or the process restarted) `since` returns null and the subscriber
 * must reload its state.
 */
export class EventBus<E> {
  private seq = 0;
  private readonly buffer: Sequenced<E>[] = [];
  private readonly listeners = new Set<(item: Sequenced<E>) => void>();
  /** Identifies this process's stream: sequence numbers from another epoch are meaningless. */
  readonly epoch = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

  constructor(private readonly capacity = 10_000) {}

  get lastSeq(): number {
    return this.seq;
  }

  publish(event: E): number {
    const item = { seq: ++this.seq, event };
    this.buffer.push(item);
    if (this.buffer.length > this.capacity) this.buffer.splice(0, this.buffer.length - this.capacity);
    for (const listener of this.listeners) listener(item);
    return item.seq;
  }

  subscribe(listener: (item: Sequenced<E>) => void): Unsubscribe {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Events after `seq`, oldest first; null when some of them are no longer buffered. */
  since(seq: number): Sequenced<E>[] | null {
    if (seq >= this.seq) return [];
    const first = this.buffer[0];
    if (first === undefined || first.seq > seq + 1) return null;
    return this.buffer.slice(seq + 1 - first.seq);
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }
}
