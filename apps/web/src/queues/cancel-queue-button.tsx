import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../api/trpc';
import { usePermissions } from '../auth/use-permissions';
import { ConfirmDialog } from './confirm-dialog';
import type { QueueCancelResult, QueueSummary } from './queue-types';

type CancelTarget = Pick<QueueSummary, 'id' | 'sourceName' | 'cluster' | 'counts' | 'owner'>;

/** "Cancel queue…" with a confirmation; `onDone` receives the per-task outcome the server reports. */
export function CancelQueueButton({
  queue,
  small = false,
  testId,
  onDone,
}: {
  queue: CancelTarget;
  small?: boolean;
  testId: string;
  onDone: (result: QueueCancelResult) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const cancel = useMutation(
    trpc.queues.cancel.mutationOptions({
      onSuccess: (result) => {
        setOpen(false);
        onDone(result);
        void queryClient.invalidateQueries({ queryKey: trpc.queues.pathKey() });
      },
    }),
  );
  const denial = usePermissions().queue(queue.owner, 'cancel');
  const c = queue.counts;
  const waiting = c.pending + c.submitting;
  const inFlight = c.submitted + c.running + c.finishing;
  return (
    <>
      <button
        type="button"
        className={`button button--danger${small ? ' button--small' : ''}`}
        data-testid={testId}
        aria-label={small ? `Cancel queue ${queue.id}` : undefined}
        disabled={denial !== null}
        title={denial ?? undefined}
        onClick={() => {
          cancel.reset();
          setOpen(true);
        }}
      >
        {small ? 'Cancel…' : 'Cancel queue…'}
      </button>
      {open && (
        <ConfirmDialog
          title="Cancel this queue?"
          keepLabel="Keep queue"
          confirmLabel="Cancel queue"
          pendingLabel="Cancelling…"
          pending={cancel.isPending}
          error={cancel.error?.message ?? null}
          onConfirm={() => cancel.mutate({ id: queue.id })}
          onClose={() => setOpen(false)}
          confirmTestId="confirm-cancel-queue"
        >
          <p>
            Queue <strong className="mono">{queue.id}</strong> ({queue.sourceName} on{' '}
            {queue.cluster}): {waiting} task(s) not submitted yet will never be, and {inFlight}{' '}
            submitted or running job(s) will be cancelled with the scheduler. This cannot be undone.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
