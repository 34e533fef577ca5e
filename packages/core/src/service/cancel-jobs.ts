import type { Backend, CancelOutcome } from '../backends/backend';
import { isTerminal, type Job } from '../domain/job';
import type { JobCancelOutcome } from './scripthut-core';

export interface CancelJobsDeps {
  getJob(id: string): Job | null | Promise<Job | null>;
  /** The cluster's backend and a way to poll it soon; undefined when it is not configured. */
  cluster(
    name: string,
  ): { backend: Pick<Backend, 'cancel'>; monitor: { requestRefresh(): unknown } } | undefined;
  /** Why the asker may not cancel `job` (another user's), or null when they may; absent: everyone may. */
  refusal?: (job: Job) => string | null;
  /** The backend to cancel `job` through (its owner's login); absent: the cluster's. */
  backendFor?: (job: Job) => Pick<Backend, 'cancel'> | undefined;
}

/**
 * Cancels several jobs with one scheduler call per cluster and login; an array's own
 * row names the whole array (Slurm `scancel 123`), a task only itself
 * (`scancel 123_7`). One outcome per distinct id, in the order asked: an
 * unknown, ended or never-submitted job is refused without asking the
 * scheduler, and a scheduler call that fails refuses its jobs with the
 * error, so one bad id never hides the others' answers.
 */
export async function cancelJobs(
  ids: readonly string[],
  deps: CancelJobsDeps,
): Promise<JobCancelOutcome[]> {
  const wanted = [...new Set(ids)];
  const outcomes = new Map<string, JobCancelOutcome>();
  const byBackend = new Map<Pick<Backend, 'cancel'>, { cluster: string; jobs: Job[] }>();
  for (const id of wanted) {
    const job = await deps.getJob(id);
    const refused = job ? (deps.refusal?.(job) ?? null) : null;
    if (!job) {
      outcomes.set(id, { id, schedulerJobId: null, ok: false, message: `No job with id ${id}` });
    } else if (refused !== null) {
      outcomes.set(id, { id, schedulerJobId: job.schedulerJobId, ok: false, message: refused });
    } else if (
      job.schedulerJobId === null ||
      isTerminal(job.state) ||
      deps.cluster(job.cluster) === undefined
    ) {
      const message = `${job.name} is not running or queued on the scheduler; nothing to cancel`;
      outcomes.set(id, { id, schedulerJobId: job.schedulerJobId, ok: false, message });
    } else {
      const backend = deps.backendFor?.(job) ?? deps.cluster(job.cluster)!.backend;
      const group = byBackend.get(backend) ?? { cluster: job.cluster, jobs: [] };
      group.jobs.push(job);
      byBackend.set(backend, group);
    }
  }
  for (const [backend, { cluster: name, jobs }] of byBackend) {
    const cluster = deps.cluster(name)!;
    let answers: CancelOutcome[];
    try {
      answers = await backend.cancel(jobs.map((j) => j.schedulerJobId!));
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      answers = jobs.map((j) => ({ schedulerJobId: j.schedulerJobId!, ok: false, message }));
    }
    const bySchedulerId = new Map(answers.map((a) => [a.schedulerJobId, a]));
    for (const job of jobs) {
      const answer = bySchedulerId.get(job.schedulerJobId!);
      outcomes.set(job.id, {
        id: job.id,
        schedulerJobId: job.schedulerJobId,
        ok: answer?.ok ?? false,
        message: answer ? answer.message : 'The scheduler gave no answer for this job',
      });
    }
    cluster.monitor.requestRefresh();
  }
  return wanted.map((id) => outcomes.get(id)!);
}
