import type { Backend, CancelOutcome } from '../backends/backend';
import { isTerminal, type Job } from '../domain/job';
import type { JobCancelOutcome } from './scripthut-core';

export interface CancelJobsDeps {
  getJob(id: string): Job | null | Promise<Job | null>;
  /** The cluster's backend and a way to poll it soon; undefined when it is not configured. */
  cluster(
    name: string,
  ): { backend: Pick<Backend, 'cancel'>; monitor: { requestRefresh(): unknown } } | undefined;
}

/**
 * Cancels several jobs with one scheduler call per cluster; an array's own
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
  const byCluster = new Map<string, Job[]>();
  for (const id of wanted) {
    const job = await deps.getJob(id);
    if (!job) {
      outcomes.set(id, { id, schedulerJobId: null, ok: false, message: `No job with id ${id}` });
    } else if (
      job.schedulerJobId === null ||
      isTerminal(job.state) ||
      deps.cluster(job.cluster) === undefined
    ) {
      const message = `${job.name} is not running or queued on the scheduler; nothing to cancel`;
      outcomes.set(id, { id, schedulerJobId: job.schedulerJobId, ok: false, message });
    } else {
      byCluster.set(job.cluster, [...(byCluster.get(job.cluster) ?? []), job]);
    }
  }
  for (const [name, jobs] of byCluster) {
    const cluster = deps.cluster(name)!;
    let answers: CancelOutcome[];
    try {
      answers = await cluster.backend.cancel(jobs.map((j) => j.schedulerJobId!));
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
