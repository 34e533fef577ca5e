import type { Job } from '@scripthut/core/domain';
import type { QueryClient, QueryKey } from '@tanstack/react-query';
import {
  jobChange,
  listMayChange,
  patchJobs,
  type JobChange,
  type JobListInput,
} from './job-patch';

/** A burst of job events (one per cluster poll) costs one refetch after this long. */
export const REFETCH_AFTER_JOBS_MS = 300;

/** The query keys (tRPC path keys) whose cached data holds jobs. */
export interface JobQueryKeys {
  list: QueryKey;
  counts: QueryKey;
  get: QueryKey;
  queue: QueryKey;
}

interface JobPage {
  jobs: readonly Job[];
  total: number;
}
interface QueueWithJobs {
  tasks: ReadonlyArray<{ job: Job | null }>;
}

const inputOf = (key: QueryKey): JobListInput | undefined =>
  (key[1] as { input?: JobListInput } | undefined)?.input;

/**
 * Applies the stream's job events to the query cache, which holds only the
 * jobs pages asked for (list windows, single jobs, queue tasks): each cached
 * copy of a changed job is patched in place at once (never by an older copy),
 * and a list whose membership or order may have changed, and every count, is
 * refetched once per burst. Returns `onJobs` for each event and `stop`.
 */
export function startJobCacheSync(
  queryClient: QueryClient,
  keys: JobQueryKeys,
  delayMs = REFETCH_AFTER_JOBS_MS,
): { onJobs: (upserted: readonly Job[], removed: readonly string[]) => void; stop: () => void } {
  const cache = queryClient.getQueryCache();
  const stale = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const flush = (): void => {
    timer = undefined;
    const hashes = new Set(stale);
    stale.clear();
    void queryClient.invalidateQueries({ predicate: (q) => hashes.has(q.queryHash) });
    void queryClient.invalidateQueries({ queryKey: keys.counts });
  };

  const patchLists = (change: JobChange): void => {
    for (const query of cache.findAll({ queryKey: keys.list })) {
      const page = query.state.data as JobPage | undefined;
      if (page === undefined) continue;
      if (listMayChange(page.jobs, change, inputOf(query.queryKey)?.sort?.field))
        stale.add(query.queryHash);
      const jobs = patchJobs(page.jobs, change);
      if (jobs !== page.jobs)
        queryClient.setQueryData<JobPage>(query.queryKey, { ...page, jobs: [...jobs] });
    }
  };

  const patchSingles = (change: JobChange): void => {
    for (const query of cache.findAll({ queryKey: keys.get })) {
      const job = query.state.data as Job | undefined;
      if (job === undefined) continue;
      const fresh = change.fresh.get(job.id);
      if (fresh !== undefined && fresh.updatedAt > job.updatedAt)
        queryClient.setQueryData(query.queryKey, fresh);
      if (change.removed.has(job.id)) stale.add(query.queryHash);
    }
    for (const query of cache.findAll({ queryKey: keys.queue })) {
      const detail = query.state.data as QueueWithJobs | undefined;
      if (detail === undefined) continue;
      let changed = false;
      const tasks = detail.tasks.map((task) => {
        const fresh = task.job ? change.fresh.get(task.job.id) : undefined;
        if (!fresh || !task.job || fresh.updatedAt <= task.job.updatedAt) return task;
        changed = true;
        return { ...task, job: fresh };
      });
      if (changed) queryClient.setQueryData(query.queryKey, { ...detail, tasks });
    }
  };

  return {
    onJobs(upserted, removed) {
      const change = jobChange(upserted, removed);
      if (change.fresh.size === 0 && change.removed.size === 0) return;
      patchLists(change);
      patchSingles(change);
      timer ??= setTimeout(flush, delayMs);
    },
    stop() {
      clearTimeout(timer);
    },
  };
}
