import type { ScripthutConfig } from '../config/schema';
import type { Actor } from '../domain/actor';
import { CoreError } from '../runtime/errors';

/** Per cluster, ScriptHut user → their login there (`clusters[].identities`). */
export type IdentityMap = Readonly<Record<string, Readonly<Record<string, string>>>>;

/**
 * Who a user is on each cluster, and what they may change. Pure: built from
 * the config, consulted by core before a cancel, retry or rerun. Admins and
 * the shared account may do everything; a named user changes only their own
 * jobs (by the job's cluster user) and queues (by the recorded owner).
 */
export class AccessPolicy {
  constructor(
    private readonly identities: IdentityMap,
    /** Per cluster, the shared account's user ("my jobs" without identities: filter_user, else ssh.user). */
    private readonly sharedUserByCluster: Readonly<Record<string, string | null>>,
  ) {}

  /** The login `user` acts as on `cluster`: their identity, else the shared account's. */
  clusterUser(user: string | null, cluster: string): string | null {
    return (user !== null ? this.identities[cluster]?.[user] : undefined) ?? this.sharedUserByCluster[cluster] ?? null;
  }

  /** Whose jobs "My jobs" shows for `user`, per cluster. */
  myUserByCluster(user: string | null): Record<string, string | null> {
    return Object.fromEntries(Object.keys(this.sharedUserByCluster).map((c) => [c, this.clusterUser(user, c)]));
  }

  /** True when `user` has an identity of their own on some cluster. */
  hasIdentity(user: string | null): boolean {
    return user !== null && Object.values(this.identities).some((byUser) => byUser[user] !== undefined);
  }

  /** The ScriptHut user whose identity logs in as `clusterUser` on `cluster`, or null (the shared account acts). */
  identityOwning(cluster: string, clusterUser: string): string | null {
    const byUser = this.identities[cluster] ?? {};
    return Object.keys(byUser).find((u) => byUser[u] === clusterUser) ?? null;
  }

  mayCancelJob(actor: Actor, job: { cluster: string; user: string }): boolean {
    return actor.admin || actor.user === null || job.user === this.clusterUser(actor.user, job.cluster);
  }

  mayChangeQueue(actor: Actor, queue: { owner: string | null }): boolean {
    return actor.admin || actor.user === null || queue.owner === actor.user;
  }

  /** FORBIDDEN unless `actor` may cancel `job`. */
  assertMayCancelJob(actor: Actor, job: { id: string; cluster: string; user: string }): void {
    if (this.mayCancelJob(actor, job)) return;
    throw new CoreError('FORBIDDEN', jobRefusal(actor, job, this.clusterUser(actor.user, job.cluster)), { reason: 'not_owner', owner: job.user });
  }

  /** FORBIDDEN unless `actor` may `verb` queue `queue`. */
  assertMayChangeQueue(actor: Actor, queue: { id: string; owner: string | null }, verb: string): void {
    if (this.mayChangeQueue(actor, queue)) return;
    const owner = queue.owner === null ? 'the shared account' : queue.owner;
    throw new CoreError('FORBIDDEN', `${actor.user} may not ${verb} queue ${queue.id}: it belongs to ${owner}, and only its owner or an admin may`, {
      reason: 'not_owner',
      owner: queue.owner,
    });
  }
}

export function jobRefusal(actor: Actor, job: { id: string; cluster: string; user: string }, own: string | null): string {
  const as = own === null ? '' : ` (${actor.user} is ${own} there)`;
  return `${actor.user} may not cancel job ${job.id}: it belongs to ${job.user || 'an unknown user'} on ${job.cluster}${as}; only the job's owner or an admin may`;
}

/** `clusters[].identities` as cluster → ScriptHut user → login there. */
export function identityMap(config: ScripthutConfig): IdentityMap {
  return Object.fromEntries(
    config.clusters.flatMap((c) =>
      c.type === 'slurm' && Object.keys(c.identities).length > 0
        ? [[c.name, Object.fromEntries(Object.entries(c.identities).map(([user, id]) => [user, id.user]))]]
        : [],
    ),
  );
}

/** Everyone may do everything: no named users. */
export const OPEN_POLICY = new AccessPolicy({}, {});
