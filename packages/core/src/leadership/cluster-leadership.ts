/**
 * Which instance polls (and feeds queues to) a cluster when several ScriptHut
 * servers share one database. The poller asks before every tick; an instance
 * that is not the leader of a cluster leaves it alone for that tick.
 *
 * Contract: `claim` never throws. It answers true only while this instance
 * holds the cluster, and false as soon as it cannot be sure (database
 * unreachable, connection lost), so two instances never both act on a
 * cluster for longer than the store's failure detection allows.
 */
export interface ClusterLeadership {
  /** Become or stay the leader of `cluster`; true while this instance holds it. */
  claim(cluster: string): Promise<boolean>;
  /** The clusters this instance leads now, for `/health`. */
  held(): string[];
  /** Release every claim (shutdown); later claims answer false. */
  close(): Promise<void>;
}

/**
 * The role of watching conditions and delivering notifications, claimed like a
 * cluster (a colon never appears in a cluster name, so it names none).
 */
export const NOTIFICATIONS_ROLE = ':notifications';

/** One process on an embedded database: it leads every cluster. */
export function soleLeadership(): ClusterLeadership {
  const claimed = new Set<string>();
  let closed = false;
  return {
    claim: (cluster) => {
      if (!closed) claimed.add(cluster);
      return Promise.resolve(!closed);
    },
    held: () => (closed ? [] : [...claimed]),
    close: () => {
      closed = true;
      return Promise.resolve();
    },
  };
}
