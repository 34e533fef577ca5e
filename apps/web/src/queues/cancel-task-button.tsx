import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../api/trpc';
import { usePermissions } from '../auth/use-permissions';
import { ConfirmDialog } from './confirm-dialog';
import type { QueueTask, TaskCancelOutcome } from './queue-types';

export function CancelTaskButton({
  queueId,
  owner,
  task,
  onDone,
}: {
  queueId: string;
  /** The queue's owner (null: the shared account). */
  owner: string | null;
  task: QueueTask;
  onDone: (outcome: TaskCancelOutcome) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const cancel = useMutation(
    trpc.queues.cancelTask.mutationOptions({
      onSuccess: (outcome) => {
        setOpen(false);
        onDone(outcome);
        void queryClient.invalidateQueries({ queryKey: trpc.queues.pathKey() });
      },
    }),
  );
  const denial = usePermissions().queue(owner, 'cancel tasks of');
  const jobId = task.job?.schedulerJobId;
  return (
    <>
      <button
        type="button"
        className="button button--small button--danger-outline"
        disabled={denial !== null}
        title={denial ?? undefined}
        data-testid={`cancel-task-${task.taskId}`}
        aria-label={`Cancel task ${task.taskId}`}
        onClick={() => {
          cancel.reset();
          setOpen(true);
        }}
      >
        Cancel
      </button>
      {open && (
        <ConfirmDialog
          title="Cancel this task?"
          keepLabel="Keep task"
          confirmLabel="Cancel task"
          pendingLabel="Cancelling…"
          pending={cancel.isPending}
          error={cancel.error?.message ?? null}
          onConfirm={() => cancel.mutate({ queueId, taskId: task.taskId })}
          onClose={() => setOpen(false)}
          confirmTestId="confirm-cancel-task"
        >
          <p>
            Task <strong className="mono">{task.taskId}</strong> ({task.name}){' '}
            {jobId
              ? `will be cancelled with the scheduler (job ${jobId}).`
              : 'will never be submitted.'}{' '}
            The rest of the queue goes on.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
