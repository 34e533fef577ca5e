import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../api/trpc';
import { formatBytes } from '../format/efficiency';

/** Overrides a hint can fill in; the hint gives only what the tasks' figures support. */
export interface HintedOverrides {
  memory: string;
}

/**
 * The queue's right-size hint inside "Retry failed" ("tasks used at most
 * 1.1 GB of 4 GB asked; 2G would do") with one click to put it into the
 * override fields, which stay editable. The same query as the queue page's
 * efficiency section, so it is usually cached; renders nothing while it
 * loads, when it failed, or when there is no smaller request to suggest.
 */
export function RetrySizeHint({
  queueId,
  onApply,
}: {
  queueId: string;
  onApply: (overrides: HintedOverrides) => void;
}) {
  const trpc = useTRPC();
  const query = useQuery(trpc.jobs.queueEfficiency.queryOptions({ queueId }));
  const memory = query.data?.hint.memory;
  if (!memory) return null;
  return (
    <p className="retry-form__hint" data-testid="retry-size-hint">
      Finished tasks used at most {formatBytes(memory.usedBytes)} of{' '}
      {formatBytes(memory.askedBytes)} asked; {memory.suggested} would do.{' '}
      <button
        type="button"
        className="button button--small"
        data-testid="retry-apply-hint"
        onClick={() => onApply({ memory: memory.suggested })}
      >
        Use {memory.suggested}
      </button>
    </p>
  );
}
