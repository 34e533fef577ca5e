import type { SourceStatus } from '@scripthut/core/domain';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../api/trpc';
import { shortSha } from './source-view';

type Notice = { kind: 'ok' | 'error'; text: string } | null;

/** "Sync now": fetch and fast-forward. A sync that is already running (e.g. the one at startup) shows as in progress. */
export function SyncSourceButton({ source }: { source: SourceStatus }) {
  const trpc = useTRPC();
  const [notice, setNotice] = useState<Notice>(null);
  const before = source.commit?.sha ?? null;
  const sync = useMutation(
    trpc.sources.sync.mutationOptions({
      onSuccess: (status) => {
        const sha = status.commit?.sha;
        if (!sha) setNotice({ kind: 'ok', text: 'Synced.' });
        else if (sha === before) setNotice({ kind: 'ok', text: `Up to date at ${shortSha(sha)}.` });
        else setNotice({ kind: 'ok', text: `Updated to ${shortSha(sha)}.` });
      },
      // A failed sync is a source error shown in full on the card; anything else (server unreachable) goes here.
      onError: (e) =>
        setNotice({
          kind: 'error',
          text: e.data?.coreCode ? 'Sync failed; see the error below.' : e.message,
        }),
    }),
  );
  const busy = sync.isPending || source.syncing;
  return (
    <div className="refresh">
      <button
        type="button"
        className="button button--small"
        data-testid={`sync-source-${source.name}`}
        disabled={busy}
        aria-busy={busy}
        onClick={() => {
          setNotice(null);
          sync.mutate({ name: source.name });
        }}
      >
        {busy ? (source.cloned ? 'Syncing…' : 'Cloning…') : 'Sync now'}
      </button>
      <span
        className={`refresh__notice refresh__notice--${notice?.kind ?? 'none'}`}
        role="status"
        data-testid={`sync-notice-${source.name}`}
      >
        {busy ? null : notice?.text}
      </span>
    </div>
  );
}
