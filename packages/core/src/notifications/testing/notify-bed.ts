import { NotificationsConfig } from '../../config/notifications-schema';
import type { HistoryStore } from '../../history/history-store';
import { storeBed, type StoreBed } from '../../history/store-beds';
import type { StoreKind } from '../../history/store-executor';
import { FakeClock } from '../../runtime/fake-clock';
import type { ChannelSender, DeliveryResult, OutgoingMessage } from '../channel-sender';
import { buildChannels } from '../build-channels';
import type { NotificationStreamEvent } from '../notifications-api';
import { NotificationService, type NotificationServiceDeps } from '../notification-service';

/** Test-only: a sender that records what it is given and answers from a script (default: sent). */
export class ScriptedSender implements ChannelSender {
  readonly received: OutgoingMessage[] = [];
  readonly script: DeliveryResult[] = [];

  deliver(message: OutgoingMessage): Promise<DeliveryResult> {
    this.received.push(message);
    return Promise.resolve(this.script.shift() ?? { kind: 'sent', answer: 'HTTP 200: ok' });
  }
}

export interface NotifyBed {
  store: HistoryStore;
  clock: FakeClock;
  service: NotificationService;
  senders: Map<string, ScriptedSender>;
  published: NotificationStreamEvent[];
  logs: string[];
  /** The database: give it to a later bed to restart on the same history. */
  db: StoreBed;
  close(): Promise<void>;
}

/**
 * A real history store (a new SQLite or PostgreSQL database of `kind`, or the
 * given `db` again, as after a restart) with a NotificationService whose
 * channels are ScriptedSenders. The bed that made the database deletes it.
 */
export async function notifyBed(
  config: unknown,
  o: {
    kind?: StoreKind;
    db?: StoreBed;
    clock?: FakeClock;
    loops?: Pick<NotificationServiceDeps, 'watchIntervalMs' | 'idleMs' | 'leads'>;
  } = {},
): Promise<NotifyBed> {
  const db = o.db ?? (await storeBed(o.kind ?? 'sqlite'));
  const clock = o.clock ?? new FakeClock(Date.parse('2026-03-01T12:00:00Z'));
  const store = await db.open({ clock });
  const parsed = NotificationsConfig.parse(config);
  const channels = buildChannels(parsed, { environment: {}, clock, readCa: () => null });
  const senders = new Map<string, ScriptedSender>();
  for (const c of parsed.channels) {
    if (c.type === 'browser') continue;
    const s = new ScriptedSender();
    senders.set(c.name, s);
    channels.senders.set(c.name, s);
  }
  const published: NotificationStreamEvent[] = [];
  const logs: string[] = [];
  const service = new NotificationService({
    config: parsed,
    publicUrl: 'https://hut.example.org',
    store,
    channels,
    clock,
    clusterNames: ['hpc'],
    userOf: () => 'alice',
    publish: (e) => published.push(e),
    log: (m) => logs.push(m),
    random: () => 0.5,
    ...o.loops,
  });
  return {
    store,
    clock,
    service,
    senders,
    published,
    logs,
    db,
    close: async () => {
      await service.stop();
      await store.close();
      if (o.db === undefined) await db.remove();
    },
  };
}
