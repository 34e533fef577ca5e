import { useLiveSnapshot } from '../live/live-context';
import type { StreamState } from '../live/live-store';

const VIEW = {
  connecting: { label: 'Connecting…', title: 'Opening the live update stream' },
  live: { label: 'Live', title: 'Receiving live updates from the server' },
  reconnecting: {
    label: 'Reconnecting…',
    title: 'Lost the live update stream; retrying. The page shows the last state received.',
  },
} as const satisfies Record<StreamState, { label: string; title: string }>;

export function ConnectionIndicator() {
  const { stream } = useLiveSnapshot();
  const view = VIEW[stream];
  return (
    <span
      className={`connection connection--${stream}`}
      data-testid="connection-indicator"
      data-state={stream}
      role="status"
      title={view.title}
    >
      <span className="connection__dot" aria-hidden="true" />
      {view.label}
    </span>
  );
}
