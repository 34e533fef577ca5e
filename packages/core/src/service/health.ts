import type { ClusterStatus } from '../domain/cluster';
import type { StoreHealth } from '../history/store-health';
import type { HealthReport } from './scripthut-core';

/** `/health`: ok only when every cluster's last poll succeeded over a live connection and the store takes writes. */
export function buildHealth(
  clusters: readonly ClusterStatus[],
  store?: StoreHealth,
  instance?: HealthReport['instance'],
): HealthReport {
  const report: HealthReport = { status: store?.status === 'unavailable' ? 'degraded' : 'ok', clusters: {}, total_jobs: 0 };
  if (instance) report.instance = instance;
  if (store) report.store = store;
  for (const c of clusters) {
    report.clusters[c.name] = {
      connected: c.connection === 'connected',
      connection: c.connection,
      host: c.host,
      last_poll: c.lastPollAt,
      error: c.lastError,
      job_count: c.jobCount,
      ...(c.leader === undefined ? {} : { leader: c.leader }),
    };
    report.total_jobs += c.jobCount;
    if (!c.healthy) report.status = 'degraded';
  }
  return report;
}
