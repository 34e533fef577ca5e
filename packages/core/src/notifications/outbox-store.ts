import type { StoreContext } from '../history/store-context';
import type { JsonObject } from '../history/types';
import * as events from './event-queries';
import * as messages from './message-queries';
import { pruneOutboxBatch, type PrunedBatch } from './prune-outbox';
import type { NewNotificationEvent, RouteTarget, StoredEvent, StoredMessage } from './outbox-types';
import * as watches from './watch-queries';
import type { OutageWatch, StallWatch } from './watch-queries';

/**
 * The outbox tables of the history database. Every method is one
 * transaction, or joins the caller's (the store's write hooks call
 * `recordEvent` inside the job or queue write that caused the event).
 */
export class OutboxStore {
  constructor(private readonly ctx: StoreContext) {}

  /** Inserts the event unless one with the same dedupe key exists; returns whether it was inserted. */
  recordEvent(event: NewNotificationEvent): Promise<boolean> {
    return events.recordEvent(this.ctx, event);
  }

  /** Oldest first. */
  unroutedEvents(limit = 500): Promise<StoredEvent[]> {
    return events.unroutedEvents(this.ctx, limit);
  }

  /** Newest first. */
  recentEvents(limit: number): Promise<StoredEvent[]> {
    return events.recentEvents(this.ctx, limit);
  }

  /** Adds the event to the open message of each target (opening one when none is collecting) and marks it routed. */
  route(eventId: string, title: string, targets: readonly RouteTarget[]): Promise<void> {
    return events.routeEvent(this.ctx, eventId, title, targets);
  }

  /** Events of a message, oldest first. */
  messageEvents(messageId: string): Promise<StoredEvent[]> {
    return events.messageEvents(this.ctx, messageId);
  }

  /** Collecting messages whose window has closed, oldest first. */
  windowsClosed(): Promise<StoredMessage[]> {
    return messages.windowsClosed(this.ctx);
  }

  /** Fixes a message's title and body and makes it due now; it is given up at `giveUpAt`. */
  seal(messageId: string, title: string, body: JsonObject, giveUpAt: Date): Promise<void> {
    return messages.sealMessage(this.ctx, messageId, title, body, giveUpAt);
  }

  /** A message created and sealed at once (a test message). */
  createSealed(id: string, channel: string, title: string, body: JsonObject): Promise<void> {
    return messages.createSealed(this.ctx, id, channel, title, body);
  }

  /** The channels with a sealed message due now (test messages are sent by `sendTest` alone). */
  dueChannels(): Promise<string[]> {
    return messages.dueChannels(this.ctx);
  }

  /** The channel's oldest message due now, or null. */
  nextDue(channel: string): Promise<StoredMessage | null> {
    return messages.nextDue(this.ctx, channel);
  }

  /** See `recoverInFlight` in message-queries: messages a crash left in flight are sent again. */
  recoverInFlight(): Promise<number> {
    return messages.recoverInFlight(this.ctx);
  }

  /** Recorded (committed) before the message leaves, so a crash during the attempt is known at the next start. */
  markSending(messageId: string): Promise<void> {
    return messages.markSending(this.ctx, messageId);
  }

  markSent(messageId: string, answer: string): Promise<void> {
    return messages.finishAttempt(this.ctx, messageId, {
      state: 'sent',
      sent_at: this.ctx.clock.now().toISOString(),
      next_attempt_at: null,
      last_answer: answer,
    });
  }

  markRetry(messageId: string, nextAttemptAt: Date, answer: string): Promise<void> {
    return messages.finishAttempt(this.ctx, messageId, {
      state: 'retrying',
      next_attempt_at: nextAttemptAt.toISOString(),
      last_answer: answer,
    });
  }

  markFailed(messageId: string, answer: string): Promise<void> {
    return messages.finishAttempt(this.ctx, messageId, {
      state: 'failed',
      next_attempt_at: null,
      last_answer: answer,
    });
  }

  getMessage(messageId: string): Promise<StoredMessage | null> {
    return messages.getMessage(this.ctx, messageId);
  }

  /** Newest first. */
  deliveries(limit: number): Promise<StoredMessage[]> {
    return messages.deliveries(this.ctx, limit);
  }

  /** One short retention transaction; see `pruneOutboxBatch`. */
  pruneBatch(olderThan: Date, limit: number): Promise<PrunedBatch> {
    return pruneOutboxBatch(this.ctx, olderThan, limit);
  }

  /** The stall and outage clocks as they were last written (they outlive a restart). */
  watches(): Promise<{ stalls: StallWatch[]; outages: OutageWatch[] }> {
    return watches.readWatches(this.ctx);
  }

  /** Starts (`put`) and ends (`remove`, job ids) stall clocks in one transaction. */
  updateStalls(put: readonly StallWatch[], remove: readonly string[]): Promise<void> {
    return watches.updateStalls(this.ctx, put, remove);
  }

  /** Starts an outage clock, or with `announced` marks it announced; keeps `since` of a clock already running. */
  putOutage(outage: OutageWatch): Promise<void> {
    return watches.putOutage(this.ctx, outage);
  }

  removeOutage(cluster: string): Promise<void> {
    return watches.removeOutage(this.ctx, cluster);
  }

  /** Several calls in one transaction (an event and the watch change that goes with it). */
  transaction<T>(body: () => Promise<T>): Promise<T> {
    return this.ctx.exec.write(body);
  }
}
