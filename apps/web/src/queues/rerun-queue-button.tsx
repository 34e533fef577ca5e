import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useTRPC } from '../api/trpc';
import { usePermissions } from '../auth/use-permissions';
import { ConfirmDialog } from './confirm-dialog';
import { queuePath, type QueueDetail } from './queue-types';

/** "Rerun all…": a new attempt of every task of the queue's family; opens it once created. */
export function RerunQueueButton({ detail }: { detail: QueueDetail }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const rerun = useMutation(
    trpc.queues.rerun.mutationOptions({
      onSuccess: (queue) => {
        setOpen(false);
        void queryClient.invalidateQueries({ queryKey: trpc.queues.pathKey() });
        void navigate(queuePath(queue.id));
      },
    }),
  );
  const denial = usePermissions().queue(detail.queue.owner, 'rerun');
  const total = Object.values(detail.counted).reduce((n, c) => n + c, 0);
  return (
    <>
      <button
        type="button"
        className="button"
        data-testid="rerun-queue"
        disabled={denial !== null}
        title={denial ?? undefined}
        onClick={() => {
          rerun.reset();
          setOpen(true);
        }}
      >
        Rerun all…
      </button>
      {open && (
        <ConfirmDialog
          title="Rerun every task?"
          keepLabel="Close"
          confirmLabel={`Rerun ${total} task(s)`}
          pendingLabel="Starting…"
          pending={rerun.isPending}
          tone="primary"
          error={rerun.error?.message ?? null}
          onConfirm={() => rerun.mutate({ id: detail.queue.id })}
          onClose={() => setOpen(false)}
          confirmTestId="confirm-rerun-queue"
        >
          <p>
            A new attempt runs all {total} task(s) of queue{' '}
            <strong className="mono">{detail.queue.originalId}</strong> again, each with the
            resources of its latest attempt, in dependency order. Completed results of earlier
            attempts stay as they are.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
