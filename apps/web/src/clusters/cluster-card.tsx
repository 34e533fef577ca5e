import type { ClusterStatus } from '@scripthut/core/domain';
import { clusterKindLabel } from '../format/cluster-words';
import { clusterHealthText, connectionBadge } from '../format/connection-label';
import { formatDurationMs } from '../format/time';
import { Badge } from '../ui/badge';
import { RelativeTime } from '../ui/time-text';
import { clusterJobFacts } from './cluster-job-facts';
import { RefreshClusterButton } from './refresh-cluster-button';

export function ClusterCard({
  cluster,
  finishedJobs,
  nowMs,
}: {
  cluster: ClusterStatus;
  /** Jobs of this cluster in the Jobs table that have ended. */
  finishedJobs: number;
  nowMs: number;
}) {
  const conn = connectionBadge(cluster.connection);
  const health = clusterHealthText(cluster);
  return (
    <article
      className={`cluster-card${cluster.healthy ? '' : ' cluster-card--degraded'}`}
      data-testid={`cluster-card-${cluster.name}`}
      aria-labelledby={`cluster-${cluster.name}-name`}
    >
      <header className="cluster-card__head">
        <h3 id={`cluster-${cluster.name}-name`} className="cluster-card__name">
          {cluster.name}
        </h3>
        <span className="chip" title="Cluster type" data-testid={`cluster-kind-${cluster.name}`}>
          {clusterKindLabel(cluster.kind)}
        </span>
        <Badge tone={conn.tone} label={conn.label} testId={`cluster-connection-${cluster.name}`} />
      </header>
      <p className="cluster-card__host mono">{cluster.host}</p>
      <p className={`cluster-card__health cluster-card__health--${cluster.healthy ? 'ok' : 'bad'}`}>
        <span aria-hidden="true">{cluster.healthy ? '● ' : '▲ '}</span>
        {health}
      </p>
      <dl className="cluster-card__facts">
        <div>
          <dt>Last poll</dt>
          <dd>
            <RelativeTime iso={cluster.lastPollAt} nowMs={nowMs} />
          </dd>
        </div>
        <div>
          <dt>Took</dt>
          <dd>{formatDurationMs(cluster.lastPollDurationMs)}</dd>
        </div>
        <div>
          <dt>Next poll</dt>
          <dd>
            {cluster.nextPollAt !== null && Date.parse(cluster.nextPollAt) <= nowMs ? (
              <span title="The scheduled poll time has passed; it runs as soon as the previous one finishes">
                due now
              </span>
            ) : (
              <RelativeTime iso={cluster.nextPollAt} nowMs={nowMs} />
            )}
          </dd>
        </div>
        {clusterJobFacts(cluster, finishedJobs).map((fact) => (
          <div key={fact.testId}>
            <dt title={fact.title}>{fact.label}</dt>
            <dd data-testid={fact.testId}>{fact.value}</dd>
          </div>
        ))}
      </dl>
      {cluster.lastError && (
        <pre className="cluster-card__error" data-testid={`cluster-error-${cluster.name}`}>
          {cluster.lastError}
        </pre>
      )}
      <RefreshClusterButton cluster={cluster.name} lastPollAt={cluster.lastPollAt} />
    </article>
  );
}
