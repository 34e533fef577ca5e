import type { Actor } from '@scripthut/core/domain';

/** What the server said about the viewer (system.info). */
export interface ViewerFacts {
  viewer: Actor;
  filterUser: string | null;
  myUserByCluster: Readonly<Record<string, string | null>>;
}

/**
 * Why the viewer may not cancel `job`, for the button's tooltip; null when
 * they may. The same rule as the server's (packages/core/src/access): admins
 * and the shared account may cancel anything, a named user only the jobs of
 * their own login on the job's cluster. Unknown facts (still loading) allow:
 * the server decides anyway.
 */
export function jobDenial(facts: ViewerFacts | undefined, job: { cluster: string; user: string }): string | null {
  if (!facts || facts.viewer.admin || facts.viewer.user === null) return null;
  const own = facts.filterUser ?? facts.myUserByCluster[job.cluster] ?? null;
  if (job.user === own) return null;
  return `Only ${job.user || 'its owner'} or an admin may cancel this job; you are ${own ?? 'no user'} on ${job.cluster}`;
}

/** Why the viewer may not `verb` a queue owned by `owner`; null when they may. */
export function queueDenial(facts: ViewerFacts | undefined, owner: string | null, verb: string): string | null {
  if (!facts || facts.viewer.admin || facts.viewer.user === null || owner === facts.viewer.user) return null;
  return `Only ${owner ?? 'the shared account'} or an admin may ${verb} this queue`;
}
