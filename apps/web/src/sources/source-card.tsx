import type { SourceStatus } from '@scripthut/core/domain';
import { Badge } from '../ui/badge';
import { DateTime, RelativeTime } from '../ui/time-text';
import { ResetSourceButton } from './reset-source-button';
import { canReset, lastSyncText, progressText, shortSha, sourceBadge } from './source-view';
import { SyncSourceButton } from './sync-source-button';

export function SourceCard({ source, nowMs }: { source: SourceStatus; nowMs: number }) {
  const badge = sourceBadge(source);
  const progress = source.syncing ? progressText(source.progress) : null;
  const nameId = `source-${source.name}-name`;
  // `nowMs` ticks once a second: never let a time that has passed read as "in a moment".
  const since = (iso: string | null): number => Math.max(nowMs, iso ? Date.parse(iso) : 0);
  return (
    <article
      className={`source-card${source.lastError ? ' source-card--failed' : ''}`}
      data-testid={`source-card-${source.name}`}
      aria-labelledby={nameId}
    >
      <header className="source-card__head">
        <h3 id={nameId} className="source-card__name">
          {source.name}
        </h3>
        {source.transport && (
          <span className="chip" title="Transport">
            {source.transport}
          </span>
        )}
        <Badge tone={badge.tone} label={badge.label} testId={`source-state-${source.name}`} />
      </header>
      <p className="source-card__url mono selectable">{source.url}</p>
      <dl className="source-card__facts">
        <div>
          <dt>Branch</dt>
          <dd className="mono">{source.branch}</dd>
        </div>
        <div>
          <dt>Last sync</dt>
          <dd data-testid={`source-last-sync-${source.name}`}>
            <RelativeTime iso={source.lastSyncAt} nowMs={since(source.lastSyncAt)} />
            {lastSyncText(source) && (
              <span
                className="source-card__outcome"
                data-testid={`source-last-outcome-${source.name}`}
              >
                {' '}
                ({lastSyncText(source)})
              </span>
            )}
          </dd>
        </div>
        <div>
          <dt>Last attempt</dt>
          <dd>
            <RelativeTime iso={source.lastAttemptAt} nowMs={since(source.lastAttemptAt)} />
          </dd>
        </div>
      </dl>
      {source.commit ? (
        <div className="source-card__commit" data-testid={`source-commit-${source.name}`}>
          <p className="source-card__subject">
            <code className="source-card__sha" title={source.commit.sha}>
              {shortSha(source.commit.sha)}
            </code>{' '}
            {source.commit.subject}
          </p>
          <p className="source-card__author muted">
            {source.commit.author} · <DateTime iso={source.commit.date} />
          </p>
        </div>
      ) : (
        <p className="muted" data-testid={`source-commit-${source.name}`}>
          Not cloned yet.
        </p>
      )}
      {progress && (
        <p
          className="source-card__progress"
          role="status"
          data-testid={`source-progress-${source.name}`}
        >
          {progress}
        </p>
      )}
      {source.lastError && (
        <pre className="source-card__error" data-testid={`source-error-${source.name}`}>
          {source.lastError}
        </pre>
      )}
      <div className="source-card__actions">
        <SyncSourceButton source={source} />
        {canReset(source) && <ResetSourceButton source={source} />}
      </div>
    </article>
  );
}
