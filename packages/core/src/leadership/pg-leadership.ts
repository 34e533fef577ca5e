import pg from 'pg';
import { advisoryLockKey } from './advisory-lock-key';
import type { ClusterLeadership } from './cluster-leadership';

export interface PgLeadershipOptions {
  /** Connection settings of the shared database (a dedicated connection is opened from them). */
  connection: pg.ClientConfig;
  log: (message: string) => void;
  /** How long one lock or liveness query may take before the connection is given up. Default 5 s. */
  queryTimeoutMs?: number;
}

/**
 * Leadership through session-level advisory locks (`pg_try_advisory_lock`)
 * held on one dedicated connection. PostgreSQL releases a session's locks when
 * the session ends, so an instance that dies (even by SIGKILL: the kernel
 * closes its socket) frees its clusters for the next instance's claim.
 *
 * A held claim is re-checked with a round trip on that same connection; when
 * the round trip fails or times out, every claim is dropped at once and the
 * connection closed, so this instance stops acting before the database gives
 * the locks to another one. TCP keepalives bound how long a silent network
 * partition can keep the database believing the old session is alive.
 */
export class PgLeadership implements ClusterLeadership {
  private client: pg.Client | null = null;
  private connecting: Promise<pg.Client> | null = null;
  private readonly claimed = new Set<string>();
  /** Claims under way, per cluster: callers asking at once (monitor, queue driver) share one. */
  private readonly claiming = new Map<string, Promise<boolean>>();
  /** Clusters held when the connection was lost: their next claim answers false, so the loss is seen. */
  private readonly lost = new Set<string>();
  /** One query at a time on the connection (pg refuses to pipeline them). */
  private queries: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(private readonly o: PgLeadershipOptions) {}

  claim(cluster: string): Promise<boolean> {
    let claim = this.claiming.get(cluster);
    if (!claim) {
      claim = this.claimNow(cluster).finally(() => this.claiming.delete(cluster));
      this.claiming.set(cluster, claim);
    }
    return claim;
  }

  private async claimNow(cluster: string): Promise<boolean> {
    if (this.closed) return false;
    // Another instance may have led it since: the caller must start again from the store.
    if (this.lost.delete(cluster)) return false;
    try {
      const client = await this.connection();
      if (this.claimed.has(cluster)) {
        await this.query(client, 'SELECT 1');
        return true;
      }
      const result = await this.query<{ ok: boolean }>(
        client,
        'SELECT pg_try_advisory_lock($1::bigint) AS ok',
        [advisoryLockKey(cluster)],
      );
      const ok = result.rows[0]?.ok === true;
      if (ok) {
        this.claimed.add(cluster);
        this.o.log(`[leadership] now polling cluster ${cluster}`);
      }
      return ok;
    } catch (error) {
      this.drop(error);
      return false;
    }
  }

  private query<R extends pg.QueryResultRow>(
    client: pg.Client,
    sql: string,
    values: unknown[] = [],
  ): Promise<pg.QueryResult<R>> {
    const run = this.queries.then(() => client.query<R>(sql, values));
    this.queries = run.catch(() => undefined);
    return run;
  }

  held(): string[] {
    return [...this.claimed];
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = null;
    this.claimed.clear();
    // Ending the session releases its advisory locks.
    await client?.end().catch(() => undefined);
  }

  private connection(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= this.connect().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async connect(): Promise<pg.Client> {
    const timeoutMs = this.o.queryTimeoutMs ?? 5_000;
    const client = new pg.Client({
      ...this.o.connection,
      application_name: 'scripthut-leadership',
      keepAlive: true,
      keepAliveInitialDelayMillis: 5_000,
      connectionTimeoutMillis: timeoutMs,
      query_timeout: timeoutMs,
    });
    client.on('error', (error) => this.drop(error));
    await client.connect();
    if (this.closed) {
      await client.end().catch(() => undefined);
      throw new Error('closed');
    }
    this.client = client;
    return client;
  }

  /** The connection is gone or in doubt: stop leading everything, and reconnect at the next claim. */
  private drop(error: unknown): void {
    const client = this.client;
    this.client = null;
    if (this.claimed.size > 0) {
      const why = error instanceof Error ? error.message : String(error);
      this.o.log(
        `[leadership] lost the database connection (${why}): no longer polling ${[...this.claimed].join(', ')}`,
      );
    }
    for (const cluster of this.claimed) this.lost.add(cluster);
    this.claimed.clear();
    client?.end().catch(() => undefined);
  }
}
