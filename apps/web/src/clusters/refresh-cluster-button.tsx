import { useMutation } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTRPC } from '../api/trpc';
import { formatWaitSeconds } from '../format/time';

type Notice = { kind: 'ok' | 'refused' | 'error'; text: string; showMs: number } | null;

const NOTICE_MS = 6_000;

/** "Refresh now": asks the server to poll the cluster; the server may refuse when it polled very recently. */
export function RefreshClusterButton({
  cluster,
  lastPollAt,
}: {
  cluster: string;
  lastPollAt: string | null;
}) {
  const trpc = useTRPC();
  const [notice, setNotice] = useState<Notice>(null);
  const refresh = useMutation(
    trpc.clusters.refresh.mutationOptions({
      onSuccess: (results) => {
        const result = results[cluster];
        if (!result || result.accepted) {
          setNotice({
            kind: 'ok',
            text: 'Poll requested; results appear in a moment.',
            showMs: NOTICE_MS,
          });
          return;
        }
        const agoMs = lastPollAt ? Date.now() - Date.parse(lastPollAt) : null;
        const ago =
          agoMs !== null && agoMs >= 0 ? `Refreshed ${formatWaitSeconds(agoMs)} ago, t` : 'T';
        setNotice({
          kind: 'refused',
          text: `${ago}ry again in ${formatWaitSeconds(result.retryAfterMs)}`,
          showMs: result.retryAfterMs,
        });
      },
      onError: (e) => setNotice({ kind: 'error', text: e.message, showMs: NOTICE_MS * 2 }),
    }),
  );

  // A notice is true only for a while ("try again in 4s"); drop it when it stops being true.
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice(null), notice.showMs);
    return () => clearTimeout(timer);
  }, [notice]);

  return (
    <div className="refresh">
      <button
        type="button"
        className="button button--small"
        data-testid={`refresh-cluster-${cluster}`}
        disabled={refresh.isPending}
        onClick={() => {
          setNotice(null);
          refresh.mutate({ cluster });
        }}
      >
        {refresh.isPending ? 'Refreshing…' : 'Refresh now'}
      </button>
      <span
        className={`refresh__notice refresh__notice--${notice?.kind ?? 'none'}`}
        role="status"
        data-testid={`refresh-notice-${cluster}`}
      >
        {notice?.text}
      </span>
    </div>
  );
}
