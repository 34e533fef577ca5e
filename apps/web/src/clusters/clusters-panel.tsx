import { useSystemInfo } from '../api/use-system-info';
import { useLiveSnapshot } from '../live/live-context';
import { useNow } from '../ui/use-now';
import { ClusterCard } from './cluster-card';
import { NoClusters } from './no-clusters';
import '../styles/clusters.css';

export function ClustersPanel() {
  const { clusters, phase } = useLiveSnapshot();
  const info = useSystemInfo();
  const nowMs = useNow(1_000);
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
        <ClusterCard key={c.name} cluster={c} nowMs={nowMs} />
      ))}
    </section>
  );
}
