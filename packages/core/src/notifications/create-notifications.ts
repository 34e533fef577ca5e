import { readFileSync } from 'node:fs';
import { expandPath, type ScripthutConfig } from '../config';
import type { Sequenced, Unsubscribe } from '../events/event-bus';
import type { Clock } from '../runtime/clock';
import { buildChannels } from './build-channels';
import type { NotificationStreamEvent } from './notifications-api';
import { NotificationService, type NotificationStore } from './notification-service';

export interface CreateNotificationsDeps {
  config: ScripthutConfig;
  store: NotificationStore;
  /** The core's bus: the service listens to it and publishes committed events on it. */
  events: {
    publish(event: NotificationStreamEvent): number;
    subscribe(listener: (item: Sequenced<{ type: string }>) => void): Unsubscribe;
  };
  clock: Clock;
  environment: Record<string, string | undefined>;
  homeDir: string;
  cwd: string;
  myUserByCluster: Record<string, string | null>;
  log: (message: string) => void;
  /** See NotificationServiceDeps.leads. */
  leads?: () => Promise<boolean>;
}

/** The notifications of one core: channels from the config, the service listening on the bus. Installs the store's write hooks. */
export function createNotifications(d: CreateNotificationsDeps): NotificationService {
  const channels = buildChannels(d.config.notifications, {
    environment: d.environment,
    clock: d.clock,
    readCa: (path) => {
      try {
        return readFileSync(expandPath(path, d.homeDir, d.cwd), 'utf8');
      } catch {
        return null;
      }
    },
  });
  const service = new NotificationService({
    config: d.config.notifications,
    publicUrl: d.config.settings.public_url,
    store: d.store,
    channels,
    clock: d.clock,
    clusterNames: d.config.clusters.map((c) => c.name),
    userOf: (cluster) => d.myUserByCluster[cluster] ?? null,
    publish: (e) => d.events.publish(e),
    log: d.log,
    ...(d.leads ? { leads: d.leads } : {}),
  });
  d.events.subscribe((item) => service.onEvent(item));
  return service;
}
