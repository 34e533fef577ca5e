import { postgresClientConfig, type PostgresConnection } from '../history';
import type { Clock } from '../runtime/clock';
import type { EventBus } from './event-bus';
import { localStream, type EventStream } from './event-stream';
import { PgEventStream } from './pg-event-stream';

/** The live stream for the configured database: the bus itself on SQLite, the shared table on PostgreSQL. */
export async function openEventStream<E>(
  bus: EventBus<E>,
  postgres: PostgresConnection | null,
  o: { clock: Clock; log: (message: string) => void },
): Promise<EventStream<E>> {
  if (postgres === null) return localStream(bus);
  return PgEventStream.open({ bus, connection: postgresClientConfig(postgres), ...o });
}
