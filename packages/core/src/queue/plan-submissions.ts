/** What the planner needs to know about one active queue. */
export interface PlannerQueue {
  id: string;
  cluster: string;
  /** ISO time; older queues win ties. */
  createdAt: string;
  /** Null: only the cluster's cap applies. */
  maxConcurrent: number | null;
  /** Tasks of this queue occupying a slot: submitting, submitted, running, finishing. */
  inFlight: number;
  /**
   * Task ids that may be submitted, in submission order: pending tasks whose
   * dependencies have all completed (`planDependencies`). ScriptHut orders
   * dependent tasks itself rather than with Slurm `--dependency`; see
   * README.md ("Task dependencies") for why.
   */
  pending: readonly string[];
}

export interface PlanLimits {
  /** Most tasks in flight at once per cluster, across all queues; a cluster absent here has no cap. */
  clusterCaps: ReadonlyMap<string, number>;
}

export interface PlannedSubmission {
  queueId: string;
  taskId: string;
}

/**
 * Decides which pending tasks to submit now. Pure.
 *
 * Each queue may add at most `maxConcurrent - inFlight` tasks. On a capped
 * cluster the free slots (`cap - inFlight[cluster]`, where `inFlight` counts
 * every ScriptHut task on the cluster, including queues not listed) are
 * shared fairly: contenders sorted by (in flight, created at, id) get
 * `max(1, floor(free / n))` each in that order while slots last, then a
 * greedy pass fills what is left. Slot counts never go below zero, whatever
 * the inputs. Output is grouped by cluster, each queue's tasks in order.
 */
export function planSubmissions(
  queues: readonly PlannerQueue[],
  inFlight: ReadonlyMap<string, number>,
  limits: PlanLimits,
): PlannedSubmission[] {
  const byCluster = new Map<string, PlannerQueue[]>();
  for (const q of queues) byCluster.set(q.cluster, [...(byCluster.get(q.cluster) ?? []), q]);
  const plan: PlannedSubmission[] = [];
  for (const [cluster, members] of byCluster) {
    const cap = limits.clusterCaps.get(cluster);
    const clusterInFlight = Math.max(inFlight.get(cluster) ?? 0, sum(members.map((q) => q.inFlight)));
    const free = cap === undefined ? Infinity : Math.max(0, cap - clusterInFlight);
    const grants = share(members, free);
    for (const q of members) {
      const n = grants.get(q.id) ?? 0;
      for (const taskId of q.pending.slice(0, n)) plan.push({ queueId: q.id, taskId });
    }
  }
  return plan;
}

/** Own headroom of a queue: what it could take if the cluster had unlimited slots. */
function wants(q: PlannerQueue): number {
  const own = q.maxConcurrent === null ? Infinity : Math.max(0, q.maxConcurrent - Math.max(0, q.inFlight));
  return Math.min(own, q.pending.length);
}

function share(members: readonly PlannerQueue[], free: number): Map<string, number> {
  const grants = new Map<string, number>();
  const contenders = members
    .filter((q) => wants(q) > 0)
    .sort((a, b) => a.inFlight - b.inFlight || a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  if (free === Infinity) {
    for (const q of contenders) grants.set(q.id, wants(q));
    return grants;
  }
  let left = free;
  const each = Math.max(1, Math.floor(free / Math.max(1, contenders.length)));
  for (const q of contenders) {
    const n = Math.min(wants(q), each, left);
    grants.set(q.id, n);
    left -= n;
  }
  for (const q of contenders) {
    if (left <= 0) break;
    const given = grants.get(q.id) ?? 0;
    const more = Math.min(wants(q) - given, left);
    grants.set(q.id, given + more);
    left -= more;
  }
  return grants;
}

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
