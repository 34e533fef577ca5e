import type { ClusterStatus } from '../domain/cluster';

/** A cluster's last poll as its leader recorded it, for the instances that do not poll it. */
export type SharedStatus = ClusterStatus & { leader: string };

/** Where the leader of a cluster records each poll's status and the other instances read it. */
export interface SharedClusterStatus {
  save(status: SharedStatus): Promise<void>;
  /** Null when no leader has recorded a poll yet. */
  load(cluster: string): Promise<SharedStatus | null>;
}

interface MetaStore {
  getMeta(key: string): Promise<string | null>;
  setMeta(key: string, value: string): Promise<void>;
}

const key = (cluster: string): string => `cluster-status:${cluster}`;

/** SharedClusterStatus in the history store's `meta` table: one JSON value per cluster. */
export function metaClusterStatus(store: MetaStore): SharedClusterStatus {
  return {
    save: (status) => store.setMeta(key(status.name), JSON.stringify(status)),
    load: async (cluster) => {
      const value = await store.getMeta(key(cluster));
      return value === null ? null : (JSON.parse(value) as SharedStatus);
    },
  };
}
