import type { Job } from '@scripthut/core/domain';
import { useMutation } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTRPC } from '../api/trpc';
import { usePermissions } from '../auth/use-permissions';

/** Cancel with a confirmation dialog; the scheduler's refusal (e.g. someone else's job) is shown verbatim. */
export function CancelJobButton({ job }: { job: Job }) {
  const trpc = useTRPC();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [done, setDone] = useState(false);
  const cancel = useMutation(
    trpc.jobs.cancel.mutationOptions({
      onSuccess: () => {
        setDone(true);
        dialogRef.current?.close();
      },
    }),
  );
  const denial = usePermissions().job(job);
  const label = job.schedulerJobId ? `${job.name} (${job.schedulerJobId})` : job.name;
  const isArray = job.arrayCounts !== null;
  const what = isArray ? 'array' : 'job';

  return (
    <>
      <button
        type="button"
        className="button button--danger"
        data-testid="cancel-job"
        disabled={denial !== null}
        title={denial ?? undefined}
        onClick={() => {
          cancel.reset();
          dialogRef.current?.showModal();
        }}
      >
        Cancel {what}…
      </button>
      {done && (
        <p className="notice" role="status" data-testid="cancel-requested">
          Cancel requested. The state changes when the scheduler confirms it.
        </p>
      )}
      <dialog
        ref={dialogRef}
        className="dialog"
        aria-labelledby="cancel-title"
        data-testid="cancel-dialog"
      >
        <h2 id="cancel-title">Cancel this {what}?</h2>
        <p>
          {isArray && <>Every task still queued or running of </>}
          <strong>{label}</strong> on <strong>{job.cluster}</strong> will be cancelled with the
          scheduler. This cannot be undone.
        </p>
        {cancel.error && (
          <p className="alert alert--danger" role="alert" data-testid="cancel-error">
            {cancel.error.message}
          </p>
        )}
        <div className="dialog__actions">
          <button
            type="button"
            className="button"
            autoFocus
            onClick={() => dialogRef.current?.close()}
          >
            Keep {what}
          </button>
          <button
            type="button"
            className="button button--danger"
            data-testid="confirm-cancel"
            disabled={cancel.isPending}
            onClick={() => cancel.mutate({ id: job.id })}
          >
            {cancel.isPending ? 'Cancelling…' : `Cancel ${what}`}
          </button>
        </div>
      </dialog>
    </>
  );
}
