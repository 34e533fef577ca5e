import type { Backend } from '../backends/backend';
import { LOG_LIMITS } from '../backends/log-limits';
import type { Job } from '../domain/job';
import type { QueueWithTasks, TaskRecord } from '../history/types';
import type { Clock } from '../runtime/clock';
import { CoreError } from '../runtime/errors';
import { followJobLog, readJobLog } from '../service/job-logs';
import { asOwner, type QueueCluster } from './queue-cluster';
import { TERMINAL_TASK_STATES } from './queue-status';
import type { QueueStore } from './queue-store';
import type * as T from './queue-types';

/**
 * A queue task's logs are its job's logs, read by the cluster's backend in
 * the one place logs are read (service/job-logs). Before the task has a job
 * there is none: reads say why, a follow waits for the job.
 */
export class TaskLogs {
  constructor(
    private readonly d: {
      store: QueueStore;
      clusters: ReadonlyMap<string, QueueCluster>;
      clock: Clock;
    },
  ) {}

  /** The last lines of the task's job's log. */
  async tail(
    queueId: string,
    taskId: string,
    kind: T.LogKind,
    options: { tail?: number } = {},
  ): Promise<T.TaskLog> {
    const target = await this.logTarget(queueId, taskId, kind);
    if ('log' in target) return target.log;
    const log = await readJobLog(
      target.backend,
      target.job,
      kind,
      options.tail === undefined ? {} : { tail: options.tail },
    );
    return { ...log, queueId, taskId };
  }

  async download(queueId: string, taskId: string, kind: T.LogKind): Promise<T.TaskLog> {
    const target = await this.logTarget(queueId, taskId, kind);
    if ('log' in target) return target.log;
    return {
      ...(await readJobLog(target.backend, target.job, kind, { whole: true })),
      queueId,
      taskId,
    };
  }

  /** Waits (saying so) while the task has no job yet, then follows its job's log. */
  async *follow(
    queueId: string,
    taskId: string,
    kind: T.LogKind,
    options: { signal?: AbortSignal; from?: string | null } = {},
  ): AsyncGenerator<T.LogChunk> {
    let target = await this.logTarget(queueId, taskId, kind);
    let saidWaiting = false;
    while ('log' in target) {
      const task = await this.task(queueId, taskId);
      if (TERMINAL_TASK_STATES.has(task.state) || target.log.jobId !== null) {
        yield { kind: 'end', reason: target.log.unavailable ?? 'no log' };
        return;
      }
      if (!saidWaiting)
        yield { kind: 'waiting', reason: target.log.unavailable ?? 'the task has no job yet' };
      saidWaiting = true;
      try {
        await this.d.clock.sleep(LOG_LIMITS.followPollMs, options.signal);
      } catch {
        return;
      }
      target = await this.logTarget(queueId, taskId, kind);
    }
    const jobId = target.job.id;
    yield* followJobLog(target.backend, target.job, kind, {
      clock: this.d.clock,
      from: options.from ?? null,
      current: () => this.d.store.getJob(jobId),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  private async logTarget(
    queueId: string,
    taskId: string,
    kind: T.LogKind,
  ): Promise<{ backend: Backend; job: Job } | { log: T.TaskLog }> {
    const stored = await this.stored(queueId);
    const task = await this.task(queueId, taskId);
    const job = task.jobId === null ? null : await this.d.store.getJob(task.jobId);
    // Read through the owner's login: their log files need not be readable by the shared account.
    const cluster = this.d.clusters.get(stored.queue.cluster);
    const backend = cluster && asOwner(cluster, stored.queue.owner).backend;
    if (!backend)
      throw new CoreError(
        'CLUSTER_UNAVAILABLE',
        `Cluster ${stored.queue.cluster} is not available here`,
      );
    if (job === null || job.schedulerJobId === null) {
      const why =
        job === null
          ? `the task is ${task.state} and has not been submitted yet`
          : 'the task was not accepted by the scheduler, so it wrote no log';
      const log: T.TaskLog = {
        queueId,
        taskId,
        jobId: job?.id ?? null,
        kind,
        path: null,
        exists: false,
        content: '',
        unavailable: why,
        cursor: null,
        partial: false,
      };
      return { log };
    }
    return { backend, job };
  }

  private async stored(queueId: string): Promise<QueueWithTasks> {
    const stored = await this.d.store.getQueue(queueId);
    if (!stored) throw new CoreError('NOT_FOUND', `No queue ${queueId}`, { queueId });
    return stored;
  }

  private async task(queueId: string, taskId: string): Promise<TaskRecord> {
    const task = (await this.stored(queueId)).tasks.find((t) => t.taskId === taskId);
    if (!task)
      throw new CoreError('NOT_FOUND', `No task ${taskId} in queue ${queueId}`, {
        queueId,
        taskId,
      });
    return task;
  }
}
