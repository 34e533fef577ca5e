import { z } from 'zod';

/**
 * Why the last sync of a git source failed, for the UI to choose what to
 * offer (a Reset button for `non_fast_forward`). The message says the rest.
 */
export const SourceErrorKind = z.enum([
  'auth_failed',
  'host_key_unknown',
  'host_key_mismatch',
  'key_unreadable',
  'unreachable',
  'repo_not_found',
  'branch_not_found',
  'non_fast_forward',
  'local_changes',
  'disk_full',
  'unsupported_url',
  'not_a_checkout',
  'timeout',
  'other',
]);
export type SourceErrorKind = z.infer<typeof SourceErrorKind>;

export const SourceCommit = z.object({
  sha: z.string(),
  /** First line of the commit message. */
  subject: z.string(),
  /** `Name <email>`. */
  author: z.string(),
  /** Author date, ISO-8601 UTC. */
  date: z.string(),
});
export type SourceCommit = z.infer<typeof SourceCommit>;

export const SourceProgress = z.object({
  /** isomorphic-git's phase name, e.g. "Receiving objects", "Updating workdir". */
  phase: z.string(),
  loaded: z.number(),
  /** 0 when unknown. */
  total: z.number(),
});
export type SourceProgress = z.infer<typeof SourceProgress>;

/** What a successful sync did. */
export const SyncOutcome = z.enum(['cloned', 'fast-forwarded', 'up-to-date', 'reset']);
export type SyncOutcome = z.infer<typeof SyncOutcome>;

/** What the Sources page and `GET /sources` show for one configured git source. */
export const SourceStatus = z.object({
  name: z.string(),
  url: z.string(),
  branch: z.string(),
  transport: z.enum(['ssh', 'https']).nullable(),
  /** True when a checkout exists on disk (it stays usable while a sync fails). */
  cloned: z.boolean(),
  /** The checked-out commit; null when not cloned. */
  commit: SourceCommit.nullable(),
  /** End of the last successful sync, ISO-8601 UTC. */
  lastSyncAt: z.string().nullable(),
  /** End of the last sync attempt, successful or not. */
  lastAttemptAt: z.string().nullable(),
  lastError: z.string().nullable(),
  lastErrorKind: SourceErrorKind.nullable(),
  /** The remote branch's commit when the last sync found it rewritten (non_fast_forward): where reset moves to. */
  remoteSha: z.string().nullable(),
  /** What the last successful sync did; null before one. */
  lastSyncOutcome: SyncOutcome.nullable(),
  /** Bytes the last successful sync received from the remote (refs and pack); a sync with nothing new receives only the ref listing. */
  lastSyncBytes: z.number().nullable(),
  syncing: z.boolean(),
  /** Latest progress of the running sync; null when idle. */
  progress: SourceProgress.nullable(),
});
export type SourceStatus = z.infer<typeof SourceStatus>;
