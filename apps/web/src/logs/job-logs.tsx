import { useRef, useState, type KeyboardEvent } from 'react';
import { LogViewer } from './log-viewer';
import type { LogKind } from './log-types';
import { useJobLogSource } from './use-log-sources';

const TABS = [
  { kind: 'output', label: 'Output' },
  { kind: 'error', label: 'Error' },
] as const satisfies readonly { kind: LogKind; label: string }[];

function JobLogPanel({
  jobId,
  cluster,
  kind,
  active,
}: {
  jobId: string;
  cluster: string;
  kind: LogKind;
  active: boolean;
}) {
  const source = useJobLogSource(jobId, kind);
  return (
    <LogViewer
      key={source.key}
      source={source}
      cluster={cluster}
      label={`${kind === 'output' ? 'Output' : 'Error'} log of job ${jobId}`}
      defaultFollow={active}
    />
  );
}

/** Output and error logs of a job, as tabs (←/→ move between them). */
export function JobLogs({
  jobId,
  cluster,
  active,
}: {
  jobId: string;
  cluster: string;
  active: boolean;
}) {
  const [kind, setKind] = useState<LogKind>('output');
  const tabRefs = useRef<Record<LogKind, HTMLButtonElement | null>>({ output: null, error: null });
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    e.preventDefault();
    const next: LogKind = kind === 'output' ? 'error' : 'output';
    setKind(next);
    tabRefs.current[next]?.focus();
  };
  return (
    <div className="job-logs">
      <div role="tablist" aria-label="Log" className="tabs" onKeyDown={onKeyDown}>
        {TABS.map((t) => (
          <button
            key={t.kind}
            ref={(el) => {
              tabRefs.current[t.kind] = el;
            }}
            type="button"
            role="tab"
            id={`job-log-tab-${t.kind}`}
            aria-selected={kind === t.kind}
            aria-controls="job-log-panel"
            tabIndex={kind === t.kind ? 0 : -1}
            className="tabs__tab"
            data-testid={`job-log-tab-${t.kind}`}
            onClick={() => setKind(t.kind)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="job-log-panel" aria-labelledby={`job-log-tab-${kind}`}>
        <JobLogPanel jobId={jobId} cluster={cluster} kind={kind} active={active} />
      </div>
    </div>
  );
}
