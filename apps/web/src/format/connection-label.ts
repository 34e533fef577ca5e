import type { ClusterStatus, ConnectionState } from '@scripthut/core/domain';
import type { BadgeTone } from './job-badge';

const CONNECTION_VIEW = {
  connected: { label: 'connected', tone: 'success' },
  connecting: { label: 'connecting', tone: 'info' },
  reconnecting: { label: 'reconnecting', tone: 'warning' },
  auth_failed: { label: 'auth failed', tone: 'danger' },
  host_key_mismatch: { label: 'host key mismatch', tone: 'danger' },
  host_key_unknown: { label: 'host key unknown', tone: 'danger' },
  unreachable: { label: 'unreachable', tone: 'danger' },
  disabled: { label: 'disabled', tone: 'neutral' },
} as const satisfies Record<ConnectionState, { label: string; tone: BadgeTone }>;

export function connectionBadge(state: ConnectionState): { label: string; tone: BadgeTone } {
  return CONNECTION_VIEW[state];
}

/** "healthy", or why the cluster's jobs may be out of date. */
export function clusterHealthText(cluster: Pick<ClusterStatus, 'healthy' | 'lastPollAt'>): string {
  if (cluster.healthy) return 'healthy';
  return cluster.lastPollAt === null
    ? 'degraded: not polled successfully yet'
    : 'degraded: showing last known state';
}
