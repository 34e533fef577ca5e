import { useId, useState } from 'react';
import { useClusterKind } from '../clusters/use-cluster-kind';
import { logLocationLabel } from '../format/cluster-words';
import { useStoredState } from '../ui/use-stored-state';
import { LogLines } from './log-lines';
import { logState } from './log-state';
import { TAIL_CHOICES, type LogSource, type TailLines } from './log-types';
import { useLogView } from './use-log-view';
import '../styles/logs.css';

const parseTail = (raw: string | null): TailLines =>
  TAIL_CHOICES.find((n) => String(n) === raw) ?? TAIL_CHOICES[0];

/**
 * A log: the last N lines, or followed live while the job runs. The state
 * line always says what is happening (loading, no file yet, empty, waiting
 * for output, finished) and shows errors in full.
 */
export function LogViewer({
  source,
  cluster,
  label,
  defaultFollow,
}: {
  source: LogSource;
  /** The job's cluster, whose kind says how to read the log location; null when unknown. */
  cluster: string | null;
  /** Accessible name of the lines, e.g. "Output log of task t1". */
  label: string;
  /** Follow from the start (the job is still running). */
  defaultFollow: boolean;
}) {
  const [tailRaw, setTail] = useStoredState('scripthut.logs.lines', (raw) =>
    String(parseTail(raw)),
  );
  const tailLines = parseTail(tailRaw);
  const [follow, setFollow] = useState(defaultFollow);
  const [wrap, setWrap] = useStoredState('scripthut.logs.wrap', (raw) =>
    raw === 'on' ? 'on' : 'off',
  );
  const view = useLogView(source, tailLines, follow);
  const state = logState({
    snapshot: view.snapshot,
    follow: view.follow,
    lineCount: view.lines.length,
    tailLines,
  });
  const ids = useId();
  const kind = useClusterKind(cluster);
  const location = view.path ? logLocationLabel(kind, view.path) : null;
  const fileExists = view.snapshot.kind !== 'ready' || view.snapshot.log.exists;

  return (
    <div className="log-viewer" data-state={state.kind}>
      <div className="log-viewer__toolbar">
        <span className="log-viewer__field">
          <label htmlFor={`${ids}-lines`}>Lines</label>
          <select
            id={`${ids}-lines`}
            className="input input--small"
            value={tailLines}
            onChange={(e) => setTail(e.target.value)}
          >
            {TAIL_CHOICES.map((n) => (
              <option key={n} value={n}>
                last {n}
              </option>
            ))}
          </select>
        </span>
        <button
          type="button"
          className={`button button--small toggle${follow ? ' toggle--on' : ''}`}
          aria-pressed={follow}
          data-testid="log-follow"
          onClick={() => setFollow((f) => !f)}
        >
          {follow ? '● Following' : 'Follow'}
        </button>
        <label className="log-viewer__field">
          <input
            type="checkbox"
            checked={wrap === 'on'}
            onChange={(e) => setWrap(e.target.checked ? 'on' : 'off')}
          />
          Wrap lines
        </label>
        {!follow && (
          <button type="button" className="button button--small" onClick={view.refresh}>
            Reload
          </button>
        )}
        {source.downloadHref && fileExists && (
          <a
            className="button button--small"
            href={source.downloadHref}
            download
            data-testid="log-download"
          >
            Download
          </a>
        )}
        {location && (
          <span
            className="log-viewer__path mono selectable"
            title={location.title}
            data-testid="log-location"
          >
            {location.text}
          </span>
        )}
      </div>
      <div
        className={`log-viewer__state log-viewer__state--${state.kind}`}
        role="status"
        data-testid="log-state"
        data-state={state.kind}
        title={state.detail ?? undefined}
      >
        {state.kind === 'error' ? (
          <pre className="log-viewer__error selectable">{state.text}</pre>
        ) : (
          <>
            {state.text}
            {state.detail && state.kind !== 'lines' && state.kind !== 'empty' && (
              <span className="muted"> · {state.detail}</span>
            )}
          </>
        )}
      </div>
      <LogLines lines={view.lines} wrap={wrap === 'on'} label={label} />
    </div>
  );
}
