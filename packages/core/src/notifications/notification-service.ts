import type { NotificationsConfig } from '../config/notifications-schema';
import type { ClusterStatus } from '../domain/cluster';
import type { Job } from '../domain/job';
import { NotificationEventType, type NotificationEvent, type RuleView, type SendTestResult } from '../domain/notification';
import type { SourceStatus } from '../domain/source';
import type { Sequenced } from '../events/event-bus';
import type { StoreWriteHooks } from '../history/store-hooks';
import type { QueueWithTasks } from '../history/types';
import type { Clock } from '../runtime/clock';
import { CoreError } from '../runtime/errors';
import type { BuiltChannels } from './build-channels';
import { ConditionWatch } from './condition-watch';
import { jobEvents, queueFinishedEvent, sourceFailedEvent, type DetectedEvent } from './detect-events';
import { DeliveryWorker } from './delivery-worker';
import type { NotificationsApi, NotificationStreamEvent } from './notifications-api';
import { newId } from './outbox-rows';
import type { OutboxStore } from './outbox-store';
import type { StoredEvent } from './outbox-types';
import { renderMessage } from './render-message';
import { forBrowser } from './rules';

/** What the service needs of the history store (HistoryStore has it). */
export interface NotificationStore {
  readonly outbox: OutboxStore;
  setWriteHooks(hooks: StoreWriteHooks | null): void;
  getQueue(id: string): Promise<QueueWithTasks | null>;
  activeJobs(cluster: string): Promise<Job[]>;
}

export interface NotificationServiceDeps {
  config: NotificationsConfig;
  publicUrl: string | undefined;
  store: NotificationStore;
  channels: BuiltChannels;
  clock: Clock;
  clusterNames: readonly string[];
  /** The user a cluster's queues run as, for `users:` filters on queue events. */
  userOf: (cluster: string) => string | null;
  publish: (event: NotificationStreamEvent) => void;
  log: (message: string) => void;
  /** How often stalls and outages are checked. */
  watchIntervalMs?: number;
  random?: () => number;
  idleMs?: number;
  /** Shared deployments: whether this instance watches conditions and delivers (one at a time does); absent: always. */
  leads?: () => Promise<boolean>;
}

/**
 * Notifications: turns state changes into outbox events (inside the write
 * that changed the state, through the store's write hooks), watches for
 * conditions that are only news after a while (a stalled queue, a cluster
 * away; see ConditionWatch), and runs the delivery worker.
 */
export class NotificationService implements NotificationsApi {
  readonly worker: DeliveryWorker;
  private readonly startedAt: Date;
  private readonly sourceByQueue = new Map<string, string | null>();
  private readonly conditions: ConditionWatch;
  private readonly failingSources = new Set<string>();
  private readonly writing = new Set<Promise<void>>();
  private watchStop: AbortController | null = null;
  private watchDone: Promise<void> | null = null;

  constructor(private readonly d: NotificationServiceDeps) {
    this.startedAt = d.clock.now();
    this.worker = new DeliveryWorker({
      outbox: d.store.outbox,
      rules: d.config.rules,
      channels: d.config.channels,
      senders: d.channels.senders,
      clock: d.clock,
      publicUrl: d.publicUrl,
      giveUpAfterMs: d.config.give_up_after_minutes * 60_000,
      onRouted: (event) => d.publish({ type: 'notification', event: publicEvent(event) }),
      log: d.log,
      ...(d.random ? { random: d.random } : {}),
      ...(d.idleMs !== undefined ? { idleMs: d.idleMs } : {}),
      ...(d.leads ? { leads: d.leads } : {}),
    });
    this.conditions = new ConditionWatch({
      outbox: d.store.outbox,
      rules: d.config.rules,
      clock: d.clock,
      record: (event) => this.record(event),
      sourceOf: (queueId) => this.sourceOf(queueId),
      log: d.log,
    });
    d.store.setWriteHooks({
      jobsWritten: async (transitions) => {
        for (const { job } of transitions) if (job.queueId !== null) await this.sourceOf(job.queueId);
        const known = (id: string): string | null => this.sourceByQueue.get(id) ?? null;
        for (const e of jobEvents(transitions, this.startedAt, known)) await this.record(e);
      },
      queueStatusChanged: async (queue, _previous, tasks) => {
        this.sourceByQueue.set(queue.id, queue.sourceName);
        const e = queueFinishedEvent(queue, tasks, this.d.userOf(queue.cluster));
        if (e) await this.record(e);
      },
    });
  }

  /** Inside the caller's transaction when called from a hook; wakes the worker, which runs after the commit. */
  private async record(event: DetectedEvent): Promise<void> {
    const inserted = await this.d.store.outbox.recordEvent({ ...event, browser: forBrowser(this.d.config.rules, this.d.config.channels, event) });
    if (inserted) setImmediate(() => this.worker.wake());
  }

  private async sourceOf(queueId: string): Promise<string | null> {
    if (!this.sourceByQueue.has(queueId)) this.sourceByQueue.set(queueId, (await this.d.store.getQueue(queueId))?.queue.sourceName ?? null);
    return this.sourceByQueue.get(queueId) ?? null;
  }

  /** Event-bus listener: feeds the condition clocks (waiting jobs, outages) and records source failures. */
  onEvent(item: Sequenced<{ type: string }>): void {
    const e = item.event as { type: string; upserted?: Job[]; removed?: string[]; status?: ClusterStatus | SourceStatus };
    if (e.type === 'jobs') {
      this.conditions.onJobs(e.upserted ?? [], e.removed ?? []);
    } else if (e.type === 'cluster' && e.status) {
      this.conditions.onCluster(e.status as ClusterStatus);
    } else if (e.type === 'source' && e.status) {
      const s = e.status as SourceStatus;
      if (s.syncing) return;
      if (s.lastError === null) this.failingSources.delete(s.name);
      else if (!this.failingSources.has(s.name)) {
        this.failingSources.add(s.name);
        this.inBackground(() => this.record(sourceFailedEvent(s)));
      }
    }
  }

  /** One check of stalls and outages against every threshold the rules use. */
  watch(): Promise<void> {
    return this.conditions.check();
  }

  /** Resolves when the writes started by `onEvent` have finished (tests, shutdown). */
  async settled(): Promise<void> {
    await Promise.all([...this.writing, this.conditions.settled()]);
  }

  private inBackground(body: () => Promise<void>): void {
    const write = this.safely(body);
    this.writing.add(write);
    void write.finally(() => this.writing.delete(write));
  }

  private async safely(body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (error) {
      this.d.log(`notifications: cannot record an event: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async start(): Promise<void> {
    // Clocks written before the last stop or crash continue; jobs already waiting without one start theirs now.
    const active: Job[] = [];
    let allRead = true;
    for (const cluster of this.d.clusterNames) {
      try {
        active.push(...(await this.d.store.activeJobs(cluster)));
      } catch (error) {
        allRead = false;
        this.d.log(`notifications: cannot read the jobs of ${cluster}: ${String(error)}`);
      }
    }
    await this.safely(() => this.conditions.restore(active, allRead, this.d.clusterNames));
    await this.safely(() => this.worker.start());
    this.watchStop = new AbortController();
    this.watchDone = this.watchLoop(this.watchStop.signal);
  }

  private async watchLoop(stop: AbortSignal): Promise<void> {
    while (!stop.aborted) {
      await this.d.clock.sleep(this.d.watchIntervalMs ?? 30_000, stop).catch(() => undefined);
      if (!stop.aborted && (this.d.leads ? await this.d.leads() : true)) await this.watch();
    }
  }

  async stop(): Promise<void> {
    this.watchStop?.abort();
    await this.watchDone;
    await this.settled();
    await this.worker.stop();
    this.d.store.setWriteHooks(null);
    for (const sender of this.d.channels.senders.values()) sender.close?.();
  }

  async recent(limit: number): Promise<NotificationEvent[]> {
    return (await this.d.store.outbox.recentEvents(limit)).map(publicEvent);
  }

  async deliveries(limit: number) {
    return (await this.d.store.outbox.deliveries(limit)).map(({ body: _body, giveUpAt: _g, windowEndsAt: _w, ...rest }) => rest);
  }

  channels() {
    return this.d.channels.views;
  }

  rules(): RuleView[] {
    return this.d.config.rules.map((r) => ({
      name: r.name,
      events: r.events,
      channels: r.channels,
      clusters: r.clusters,
      taskSources: r.task_sources,
      users: r.users,
      afterMinutes: r.after_minutes,
      digestWindowSeconds: r.digest_window_seconds,
    }));
  }

  async sendTest(channel: string): Promise<SendTestResult> {
    const view = this.d.channels.views.find((v) => v.name === channel);
    if (view === undefined) throw new CoreError('NOT_FOUND', `No notification channel named ${channel}`);
    const sender = this.d.channels.senders.get(channel);
    if (view.type === 'browser' || sender === undefined) {
      throw new CoreError('INVALID_INPUT', `Channel ${channel} is shown in the browser; test it from the page`);
    }
    const now = this.d.clock.now();
    const outbox = this.d.store.outbox;
    const test: StoredEvent = {
      id: 'evt_test',
      type: NotificationEventType.enum['queue.finished'],
      severity: 'info',
      title: `Test message to ${channel}`,
      text: `If you can read this, ScriptHut can reach ${view.target}.`,
      createdAt: now.toISOString(),
      cluster: null,
      queueId: null,
      taskSource: null,
      user: null,
      jobId: null,
      path: '/notifications',
      browser: false,
      data: { test: true },
    };
    const id = newId('msg', now);
    const rendered = renderMessage(id, 'test', [test], now, this.d.publicUrl);
    const body = { ...rendered.body, type: 'test' };
    await outbox.createSealed(id, channel, rendered.title, body);
    await outbox.markSending(id);
    const result = await sender.deliver({ id, title: rendered.title, body });
    if (result.kind === 'sent') await outbox.markSent(id, result.answer);
    else await outbox.markFailed(id, result.answer);
    return { ok: result.kind === 'sent', answer: result.answer, deliveryId: id };
  }
}

function publicEvent(e: StoredEvent): NotificationEvent {
  const { data: _data, ...rest } = e;
  return rest;
}
