import {
  RETRY_STATES,
  RETRY_STATE_WORDS,
  TaskMemory,
  TaskTimeLimit,
  type RetryState,
} from '@scripthut/core/domain';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useNavigate } from 'react-router';
import { useTRPC } from '../api/trpc';
import { usePermissions } from '../auth/use-permissions';
import { defaultRetryStates } from './attempt-words';
import { ConfirmDialog } from './confirm-dialog';
import { queuePath, type QueueDetail } from './queue-types';
import { RetrySizeHint } from './retry-size-hint';

/** A field the user may leave empty; otherwise it must pass the task schema's own check. */
const problem = (value: string, schema: typeof TaskMemory): string | null => {
  if (value.trim() === '') return null;
  const parsed = schema.safeParse(value.trim());
  return parsed.success ? null : (parsed.error.issues[0]?.message ?? 'not valid');
};

/**
 * "Retry failed…": pick which endings to retry (with how many tasks of the
 * family ended so) and, optionally, more memory or a longer time limit for
 * those tasks; the queue's right-size hint, when it has one, fills the
 * memory field in one click. Opens the new attempt when the server has
 * created it.
 */
export function RetryQueueButton({ detail }: { detail: QueueDetail }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const ids = useId();
  const [open, setOpen] = useState(false);
  const [states, setStates] = useState<RetryState[]>([]);
  const [memory, setMemory] = useState('');
  const [timeLimit, setTimeLimit] = useState('');
  const retry = useMutation(
    trpc.queues.retry.mutationOptions({
      onSuccess: (queue) => {
        setOpen(false);
        void queryClient.invalidateQueries({ queryKey: trpc.queues.pathKey() });
        void navigate(queuePath(queue.id));
      },
    }),
  );
  const denial = usePermissions().queue(detail.queue.owner, 'retry');
  const { retryable } = detail;
  const total = RETRY_STATES.reduce((n, s) => n + retryable[s], 0);
  const memoryProblem = problem(memory, TaskMemory);
  const timeProblem = problem(timeLimit, TaskTimeLimit);
  const chosen = states.reduce((n, s) => n + retryable[s], 0);
  return (
    <>
      <button
        type="button"
        className="button button--primary"
        data-testid="retry-queue"
        disabled={total === 0 || denial !== null}
        title={denial ?? (total === 0 ? 'Every task completed: there is nothing to retry' : undefined)}
        onClick={() => {
          retry.reset();
          setStates(defaultRetryStates(retryable));
          setOpen(true);
        }}
      >
        Retry failed…
      </button>
      {open && (
        <ConfirmDialog
          title="Retry failed tasks"
          keepLabel="Close"
          confirmLabel={`Retry ${chosen} task(s)`}
          pendingLabel="Starting…"
          pending={retry.isPending}
          confirmDisabled={chosen === 0 || memoryProblem !== null || timeProblem !== null}
          tone="primary"
          error={retry.error?.message ?? null}
          onConfirm={() =>
            retry.mutate({
              id: detail.queue.id,
              states,
              overrides: {
                ...(memory.trim() ? { memory: memory.trim() } : {}),
                ...(timeLimit.trim() ? { time_limit: timeLimit.trim() } : {}),
              },
            })
          }
          onClose={() => setOpen(false)}
          confirmTestId="confirm-retry-queue"
        >
          <p>
            A new attempt of queue <strong className="mono">{detail.queue.id}</strong> runs the
            tasks whose last attempt ended as chosen, and the tasks that depend on them.
          </p>
          <fieldset className="retry-form__states">
            <legend>Retry the tasks that ended</legend>
            {RETRY_STATES.map((s) => (
              <label key={s} className={retryable[s] === 0 ? 'muted' : undefined}>
                <input
                  type="checkbox"
                  data-testid={`retry-state-${s}`}
                  checked={states.includes(s)}
                  disabled={retryable[s] === 0}
                  onChange={(e) =>
                    setStates((now) =>
                      e.target.checked ? [...now, s] : now.filter((x) => x !== s),
                    )
                  }
                />{' '}
                {RETRY_STATE_WORDS[s]} <span className="muted">({retryable[s]})</span>
              </label>
            ))}
          </fieldset>
          <RetrySizeHint queueId={detail.queue.id} onApply={(hinted) => setMemory(hinted.memory)} />
          <div className="retry-form__overrides">
            <label htmlFor={`${ids}-memory`}>Memory for those tasks</label>
            <input
              id={`${ids}-memory`}
              data-testid="retry-memory"
              placeholder="as before (e.g. 8G)"
              value={memory}
              maxLength={16}
              aria-invalid={memoryProblem !== null}
              onChange={(e) => setMemory(e.target.value)}
            />
            {memoryProblem && <span className="retry-form__problem">{memoryProblem}</span>}
            <label htmlFor={`${ids}-time`}>Time limit for those tasks</label>
            <input
              id={`${ids}-time`}
              data-testid="retry-time-limit"
              placeholder="as before (e.g. 2:00:00)"
              value={timeLimit}
              maxLength={16}
              aria-invalid={timeProblem !== null}
              onChange={(e) => setTimeLimit(e.target.value)}
            />
            {timeProblem && <span className="retry-form__problem">{timeProblem}</span>}
          </div>
        </ConfirmDialog>
      )}
    </>
  );
}
