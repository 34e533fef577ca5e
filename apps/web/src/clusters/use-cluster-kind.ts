import type { ClusterKind } from '@scripthut/core/domain';
import { useLiveSnapshot } from '../live/live-context';

/** The kind of a configured cluster, from the live cluster list; null while unknown or for a removed cluster. */
export function useClusterKind(cluster: string | null | undefined): ClusterKind | null {
  const snap = useLiveSnapshot();
  return snap.clusters.find((c) => c.name === cluster)?.kind ?? null;
}
