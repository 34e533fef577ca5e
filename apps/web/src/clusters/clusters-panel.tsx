import { useMemo } from 'react';
import { useSystemInfo } from '../api/use-system-info';
import { useJobCounts } from '../jobs/use-job-counts';
import { useLiveSnapshot } from '../live/live-context';
import { useNow } from '../ui/use-now';
import { ClusterCard } from './cluster-card';
import { finishedJobsByCluster } from './cluster-job-facts';
import { NoClusters } from './no-clusters';
import '../styles/clusters.css';

export function ClustersPanel() {
  const { clusters, phase } = useLiveSnapshot();
  const info = useSystemInfo();
  const nowMs = useNow(1_000);
  const counts = useJobCounts({});
  const finished = useMemo(() => finishedJobsByCluster(counts?.byCluster ?? new Map()), [counts]);
  if (phase.kind === 'loading' && clusters.length === 0) {
    return (
      <section className="clusters clusters--loading" aria-label="Clusters" aria-busy="true" />
    );
  }
  if (phase.kind === 'ready' && clusters.length === 0)
    return <NoClusters configPath={info.data?.configPath ?? null} />;
  return (
    <section className="clusters" aria-label="Clusters" data-testid="clusters-panel">
      {clusters.map((c) => (
        <ClusterCard
          key={c.name}
          cluster={c}
          finishedJobs={finished.get(c.name) ?? 0}
          nowMs={nowMs}
        />
      ))}
    </section>
  );
}
