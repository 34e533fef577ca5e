import type { ChannelConfig, RuleConfig } from '../config/notifications-schema';
import type { Clock } from '../runtime/clock';
import { retryDelayMs } from './backoff';
import type { ChannelSender, DeliveryResult } from './channel-sender';
import type { OutboxStore } from './outbox-store';
import type { StoredEvent, StoredMessage } from './outbox-types';
import { renderMessage } from './render-message';
import { routeTargets } from './rules';

export interface DeliveryWorkerDeps {
  outbox: OutboxStore;
  rules: readonly RuleConfig[];
  channels: readonly ChannelConfig[];
  senders: ReadonlyMap<string, ChannelSender>;
  clock: Clock;
  publicUrl: string | undefined;
  giveUpAfterMs: number;
  /** Jitter source for backoff; tests pass `() => 0.5` (no jitter). */
  random?: () => number;
  /** Told each event once it is routed (committed), for the live bell. */
  onRouted?: (event: StoredEvent) => void;
  log: (message: string) => void;
  /** How often the loop looks for due work when nothing wakes it. */
  idleMs?: number;
  /**
   * Shared deployments: asked before every pass of the loop; only the
   * instance it answers true for delivers (and, once it starts to, sends
   * again what a previous deliverer left in flight). Absent: always.
   */
  leads?: () => Promise<boolean>;
}

/**
 * Drains the outbox: routes new events to (rule, channel) messages, seals
 * messages whose digest window closed, and sends due messages with retries.
 *
 * Exactly-once rules: an attempt is committed as `sending` before the
 * message leaves and its outcome after, so a crash leaves at most one
 * message per channel whose fate is unknown; it is sent again at the next
 * start with the same id (webhook-id, Message-ID). Each channel is a lane
 * that sends one message at a time, so a slow channel holds up only itself.
 */
export class DeliveryWorker {
  private readonly lanes = new Map<string, Promise<void>>();
  private stopController: AbortController | null = null;
  private wakeController: AbortController | null = null;
  private loopDone: Promise<void> | null = null;
  /** Whether messages left in flight were recovered since this instance last became the deliverer. */
  private recovered = false;

  constructor(private readonly d: DeliveryWorkerDeps) {}

  /** One awaited pass (tests call it): route, seal, and send everything due, waiting for the sends. */
  async tick(): Promise<void> {
    await this.pass();
    await Promise.all(this.lanes.values());
  }

  /** Routes and seals now; starts a lane for every channel with due messages and no lane running. */
  async pass(): Promise<void> {
    for (const event of await this.d.outbox.unroutedEvents()) {
      await this.d.outbox.route(event.id, event.title, routeTargets(this.d.rules, this.d.channels, event));
      this.d.onRouted?.(event);
    }
    for (const message of await this.d.outbox.windowsClosed()) {
      const events = await this.d.outbox.messageEvents(message.id);
      if (events.length === 0) {
        await this.d.outbox.markFailed(message.id, 'no events left to send');
        continue;
      }
      const now = this.d.clock.now();
      const rendered = renderMessage(message.id, message.rule ?? '', events, now, this.d.publicUrl);
      await this.d.outbox.seal(message.id, rendered.title, rendered.body, new Date(now.getTime() + this.d.giveUpAfterMs));
    }
    for (const channel of await this.d.outbox.dueChannels()) {
      if (this.lanes.has(channel)) continue;
      const lane = this.runLane(channel).finally(() => this.lanes.delete(channel));
      this.lanes.set(channel, lane);
    }
  }

  /** Sends the channel's due messages one at a time, oldest first, re-reading what is due after each. */
  private async runLane(channel: string): Promise<void> {
    for (;;) {
      if (this.stopController?.signal.aborted) return;
      const next = await this.d.outbox.nextDue(channel);
      if (next === null) return;
      await this.attempt(next);
    }
  }

  private async attempt(message: StoredMessage): Promise<void> {
    const sender = this.d.senders.get(message.channel);
    if (sender === undefined || message.body === null) {
      await this.d.outbox.markFailed(message.id, `channel ${message.channel} is no longer configured`);
      return;
    }
    await this.d.outbox.markSending(message.id);
    let result: DeliveryResult;
    try {
      result = await sender.deliver({ id: message.id, title: message.title, body: message.body });
    } catch (error) {
      result = { kind: 'retry', answer: `unexpected error: ${error instanceof Error ? error.message : String(error)}`, retryAfterMs: null };
    }
    await this.record(message, message.attempts + 1, result);
  }

  private async record(message: StoredMessage, attempts: number, result: DeliveryResult): Promise<void> {
    switch (result.kind) {
      case 'sent':
        await this.d.outbox.markSent(message.id, result.answer);
        return;
      case 'permanent':
        await this.d.outbox.markFailed(message.id, result.answer);
        this.d.log(`notifications: ${message.channel} refused message ${message.id} for good: ${result.answer}`);
        return;
      case 'retry': {
        const now = this.d.clock.now();
        const delayMs = Math.max(result.retryAfterMs ?? 0, retryDelayMs(attempts, this.d.random ?? Math.random));
        const next = new Date(now.getTime() + delayMs);
        const giveUpAt = message.giveUpAt === null ? now : new Date(message.giveUpAt);
        if (next > giveUpAt) {
          const answer = `gave up after ${attempts} attempt(s): ${result.answer}`;
          await this.d.outbox.markFailed(message.id, answer.slice(0, 500));
          this.d.log(`notifications: ${message.channel}: message ${message.id} ${answer}`);
        } else {
          await this.d.outbox.markRetry(message.id, next, result.answer);
        }
        return;
      }
    }
  }

  /** Makes the loop pass now (new events were committed). */
  wake(): void {
    this.wakeController?.abort();
  }

  async start(): Promise<void> {
    if (this.loopDone) return;
    if (!this.d.leads) await this.recoverInFlight();
    this.stopController = new AbortController();
    this.loopDone = this.loop(this.stopController.signal);
  }

  private async loop(stop: AbortSignal): Promise<void> {
    while (!stop.aborted) {
      try {
        if (this.d.leads && !(await this.d.leads())) this.recovered = false;
        else {
          if (!this.recovered) await this.recoverInFlight();
          await this.pass();
        }
      } catch (error) {
        this.d.log(`notifications: delivery pass failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      this.wakeController = new AbortController();
      const either = AbortSignal.any([stop, this.wakeController.signal]);
      await this.d.clock.sleep(this.d.idleMs ?? 1_000, either).catch(() => undefined);
    }
  }

  private async recoverInFlight(): Promise<void> {
    const recovered = await this.d.outbox.recoverInFlight();
    this.recovered = true;
    if (recovered > 0) this.d.log(`notifications: ${recovered} message(s) were being sent when the server stopped; sending them again`);
  }

  /** Stops the loop and waits for the sends under way (each is bounded by its channel's timeout). */
  async stop(): Promise<void> {
    this.stopController?.abort();
    await this.loopDone;
    await Promise.all(this.lanes.values());
    this.loopDone = null;
    // Stopped means no loop, not a worker that refuses to send: a later tick() sends again.
    this.stopController = null;
  }
}
