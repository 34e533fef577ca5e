import { z } from 'zod';

export const ConnectionState = z.enum([
  'connecting',
  'connected',
  'reconnecting',
  'auth_failed',
  'host_key_mismatch',
  'host_key_unknown',
  'unreachable',
  'disabled',
]);
export type ConnectionState = z.infer<typeof ConnectionState>;

export const ClusterKind = z.enum(['slurm', 'ecs', 'batch', 'local']);
export type ClusterKind = z.infer<typeof ClusterKind>;

/** What the dashboard and /health know about one configured cluster. */
export const ClusterStatus = z.object({
  name: z.string(),
  kind: ClusterKind,
  /** `user@host:port` for SSH clusters, a short description otherwise. */
  host: z.string(),
  user: z.string().nullable(),
  connection: ConnectionState,
  /** True when the last poll succeeded; false when the cluster shows stale data. */
  healthy: z.boolean(),
  lastPollAt: z.string().nullable(),
  lastPollDurationMs: z.number().nullable(),
  nextPollAt: z.string().nullable(),
  lastError: z.string().nullable(),
  jobCount: z.number().int(),
  /** Shared deployments: the instance that polls this cluster (null: none known yet); absent on one server. */
  leader: z.string().nullable().optional(),
});
export type ClusterStatus = z.infer<typeof ClusterStatus>;
