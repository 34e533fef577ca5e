import type { SourceStatus } from '@scripthut/core/domain';
import { useMutation } from '@tanstack/react-query';
import { useRef } from 'react';
import { useTRPC } from '../api/trpc';
import { shortSha } from './source-view';

/** Reset to the remote commit, after a confirmation that says what is discarded. */
export function ResetSourceButton({ source }: { source: SourceStatus }) {
  const trpc = useTRPC();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const reset = useMutation(
    trpc.sources.reset.mutationOptions({ onSuccess: () => dialogRef.current?.close() }),
  );
  const titleId = `reset-title-${source.name}`;
  const local = source.commit ? shortSha(source.commit.sha) : 'the current commit';
  const remote = source.remoteSha
    ? shortSha(source.remoteSha)
    : `the latest commit of ${source.branch}`;
  return (
    <>
      <button
        type="button"
        className="button button--small button--danger"
        data-testid={`reset-source-${source.name}`}
        disabled={source.syncing}
        onClick={() => {
          reset.reset();
          dialogRef.current?.showModal();
        }}
      >
        Reset to remote…
      </button>
      <dialog
        ref={dialogRef}
        className="dialog"
        aria-labelledby={titleId}
        data-testid={`reset-dialog-${source.name}`}
      >
        <h2 id={titleId}>Reset {source.name} to the remote branch?</h2>
        <p>
          The checkout is at <code>{local}</code>.{' '}
          {source.lastErrorKind === 'non_fast_forward'
            ? `Branch ${source.branch} was rewritten upstream (force-pushed) and now points to `
            : 'Files in the checkout were changed locally. Branch '}
          {source.lastErrorKind === 'non_fast_forward' ? (
            <code>{remote}</code>
          ) : (
            `${source.branch} is at ${remote}`
          )}
          .
        </p>
        <p>
          Reset fetches again and moves the checkout to the remote commit, discarding commits and
          changes that exist only in the checkout. Queues record the commit they were created from.
        </p>
        {reset.error && (
          <p
            className="alert alert--danger"
            role="alert"
            data-testid={`reset-error-${source.name}`}
          >
            {reset.error.message}
          </p>
        )}
        <div className="dialog__actions">
          <button
            type="button"
            className="button"
            autoFocus
            onClick={() => dialogRef.current?.close()}
          >
            Keep checkout
          </button>
          <button
            type="button"
            className="button button--danger"
            data-testid={`confirm-reset-${source.name}`}
            disabled={reset.isPending}
            onClick={() => reset.mutate({ name: source.name })}
          >
            {reset.isPending ? 'Resetting…' : 'Reset'}
          </button>
        </div>
      </dialog>
    </>
  );
}
