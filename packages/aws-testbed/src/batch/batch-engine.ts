import type { AttemptDetail } from '@aws-sdk/client-batch';
import type { ContainerExit } from '../compute/container-run';
import type { JobFault } from '../faults/job-faults';
import { batchClientError } from '../protocol/aws-error';
import type { TimerSet } from '../runtime/timer-set';
import { BatchAttemptRunner, type AttemptRunnerOptions } from './batch-attempt-runner';
import {
  isTerminalStatus,
  type BatchJob,
  type BatchJobStatus,
  type CurrentAttempt,
} from './batch-job';
import { shouldRetry } from './evaluate-on-exit';

export interface BatchDwellMs {
  SUBMITTED: number;
  PENDING: number;
  RUNNABLE: number;
  STARTING: number;
}

export interface BatchEngineOptions extends Omit<AttemptRunnerOptions, 'onEnded' | 'startingMs'> {
  dwellMs: BatchDwellMs;
  timers: TimerSet;
  /** Forget finished jobs this long after they finish; null keeps them. */
  retentionMs: () => number | null;
}

const MISCONFIGURED =
  'MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT - The job resource requirement (vCPU/memory/GPU) is ' +
  'higher than that can be met by the CE(s) attached to the job queue.';

export const CAPACITY_REASON =
  'CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY - Service cannot fulfill the capacity requested for ' +
  'instance type [m5.large]';

/**
 * The Batch job state machine: SUBMITTED → PENDING (dependencies, array
 * parents) → RUNNABLE (waits for vCPUs) → STARTING → RUNNING → SUCCEEDED |
 * FAILED, with retries back to RUNNABLE. Placement is one debounced pass
 * over the ready jobs, queues by priority, jobs in submission order.
 */
export class BatchEngine {
  readonly jobs = new Map<string, BatchJob>();
  private seq = 0;
  private runner: BatchAttemptRunner;
  private ready = new Set<BatchJob>();
  private placementQueued = false;
  private capacityWait: string | null = null;

  constructor(private readonly o: BatchEngineOptions) {
    this.runner = new BatchAttemptRunner({
      ...o,
      startingMs: o.dwellMs.STARTING,
      onEnded: (job, ended, attempt, exit) => this.attemptEnded(job, ended, attempt, exit),
    });
  }

  nextSeq(): number {
    return ++this.seq;
  }

  /** Registers a job built by submitJob and starts its lifecycle. */
  add(job: BatchJob): void {
    this.jobs.set(job.jobId, job);
    this.o.timers.after(this.o.dwellMs.SUBMITTED, () => this.resolve(job));
  }

  get(jobId: string): BatchJob {
    const job = this.jobs.get(jobId);
    if (!job) throw batchClientError(`Job ${jobId} not found`);
    return job;
  }

  setCapacityWait(reason: string | null): void {
    this.capacityWait = reason;
    if (reason === null) for (const job of this.ready) delete job.statusReason;
    this.requestPlacement();
  }

  /** Applies a fault to a job that is running now; false when there is none to apply it to. */
  applyFaultNow(fault: JobFault): boolean {
    const job = fault.jobId ? this.jobs.get(fault.jobId) : undefined;
    if (!job?.current?.run || fault.kind === 'failed-to-start') return false;
    this.o.timers.after(fault.afterRunningMs ?? 0, () => this.runner.applyFault(job, fault));
    return true;
  }

  /** TerminateJob: cancels before STARTING, stops the container after. */
  terminate(job: BatchJob, reason: string): void {
    if (isTerminalStatus(job.status)) return;
    for (const id of job.childIds ?? []) {
      const child = this.jobs.get(id);
      if (child) this.terminate(child, reason);
    }
    if (job.childIds) return; // the parent settles when its children do
    if (job.current) this.runner.terminate(job, reason);
    else this.finish(job, 'FAILED', reason, { isCancelled: true });
  }

  /** CancelJob: only jobs that have not reached STARTING; otherwise a successful no-op. */
  cancel(job: BatchJob, reason: string): void {
    if (job.status === 'STARTING' || job.status === 'RUNNING' || isTerminalStatus(job.status)) {
      return;
    }
    for (const id of job.childIds ?? []) {
      const child = this.jobs.get(id);
      if (child) this.cancel(child, reason);
    }
    if (!job.childIds) this.finish(job, 'FAILED', reason, { isCancelled: true });
  }

  forget(ids: string[]): void {
    for (const id of ids) {
      const job = this.jobs.get(id);
      if (!job) continue;
      for (const child of job.childIds ?? []) this.jobs.delete(child);
      this.jobs.delete(id);
      this.ready.delete(job);
    }
  }

  close(): void {
    for (const job of this.jobs.values())
      job.current?.run?.interrupt({ exitCode: null, cause: 'interrupted' });
  }

  /** Leaves SUBMITTED or PENDING once every dependency has succeeded. */
  private resolve(job: BatchJob): void {
    if (job.status !== 'SUBMITTED' && job.status !== 'PENDING') return;
    const deps = job.dependsOn.map((d) => this.jobs.get(d.jobId ?? '')?.status);
    if (deps.includes('FAILED')) return this.finish(job, 'FAILED', 'Dependent Job failed');
    if (deps.some((s) => s !== undefined && s !== 'SUCCEEDED')) {
      job.status = 'PENDING';
      return;
    }
    if (job.arraySize !== undefined) {
      job.status = 'PENDING';
      if (!job.childIds) this.spawnChildren(job, job.arraySize);
      return;
    }
    const enter = (): void => this.enterRunnable(job);
    if (job.status === 'PENDING') this.o.timers.after(this.o.dwellMs.PENDING, enter);
    else enter();
  }

  /** Children `<id>:<index>` share the parent's spec; each sees AWS_BATCH_JOB_ARRAY_INDEX. */
  private spawnChildren(parent: BatchJob, size: number): void {
    parent.childIds = [];
    for (let index = 0; index < size; index++) {
      const jobId = `${parent.jobId}:${index}`;
      const { childIds: _c, arraySize: _s, ...spec } = parent;
      const child: BatchJob = {
        ...spec,
        seq: this.nextSeq(),
        jobId,
        jobArn: `${parent.jobArn}:${index}`,
        status: 'SUBMITTED',
        createdAt: Date.now(),
        dependsOn: [],
        attempts: [],
        ready: false,
        arrayIndex: index,
        parentId: parent.jobId,
      };
      parent.childIds.push(jobId);
      this.add(child);
    }
  }

  private enterRunnable(job: BatchJob): void {
    job.status = 'RUNNABLE';
    this.o.timers.after(this.o.dwellMs.RUNNABLE, () => {
      if (job.status !== 'RUNNABLE' || !this.jobs.has(job.jobId)) return;
      job.ready = true;
      this.ready.add(job);
      this.requestPlacement();
    });
  }

  private requestPlacement(): void {
    if (this.placementQueued) return;
    this.placementQueued = true;
    this.o.timers.after(0, () => {
      this.placementQueued = false;
      this.place();
    });
  }

  private place(): void {
    const jobs = [...this.ready].sort(
      (a, b) => (b.queue.detail.priority ?? 0) - (a.queue.detail.priority ?? 0) || a.seq - b.seq,
    );
    for (const job of jobs) {
      if (this.capacityWait !== null) {
        job.statusReason = this.capacityWait;
        continue;
      }
      const envs = job.queue.environments.filter((e) => e.detail.state !== 'DISABLED');
      if (!envs.some((e) => e.maxVcpus >= job.vcpus)) {
        job.statusReason = MISCONFIGURED;
        continue;
      }
      const env = envs.find((e) => e.maxVcpus - e.usedVcpus >= job.vcpus);
      if (!env) continue;
      env.usedVcpus += job.vcpus;
      this.ready.delete(job);
      job.ready = false;
      this.runner.start(job, env);
    }
  }

  private attemptEnded(
    job: BatchJob,
    ended: CurrentAttempt,
    attempt: AttemptDetail,
    exit: ContainerExit,
  ): void {
    ended.environment.usedVcpus -= job.vcpus;
    this.requestPlacement();
    const reason = attempt.statusReason ?? '';
    if (ended.terminating !== undefined) {
      return this.finish(job, 'FAILED', reason, { isTerminated: true });
    }
    if (ended.timedOut) return this.finish(job, 'FAILED', reason); // never retried
    if (exit.exitCode === 0) return this.finish(job, 'SUCCEEDED', reason);
    const retry =
      job.attempts.length < job.retryAttempts &&
      shouldRetry(job.evaluateOnExit, exit.exitCode, attempt.container?.reason, reason);
    if (retry) {
      job.statusReason = reason;
      return this.enterRunnable(job);
    }
    this.finish(job, 'FAILED', reason);
  }

  private finish(
    job: BatchJob,
    status: BatchJobStatus,
    reason: string | undefined,
    flags: { isCancelled?: boolean; isTerminated?: boolean } = {},
  ): void {
    this.ready.delete(job);
    job.status = status;
    if (reason) job.statusReason = reason;
    else delete job.statusReason;
    job.stoppedAt = Date.now();
    Object.assign(job, flags);
    this.settled(job);
  }

  private settled(job: BatchJob): void {
    const retentionMs = this.o.retentionMs();
    if (retentionMs !== null && !job.parentId) {
      this.o.timers.after(retentionMs, () => this.forget([job.jobId]));
    }
    for (const other of this.jobs.values()) {
      if (other.status === 'PENDING' && other.dependsOn.some((d) => d.jobId === job.jobId)) {
        this.resolve(other);
      }
    }
    const parent = job.parentId ? this.jobs.get(job.parentId) : undefined;
    if (!parent?.childIds || isTerminalStatus(parent.status)) return;
    const children = parent.childIds.map((id) => this.jobs.get(id));
    if (!children.every((c) => c && isTerminalStatus(c.status))) return;
    const allSucceeded = children.every((c) => c?.status === 'SUCCEEDED');
    this.finish(
      parent,
      allSucceeded ? 'SUCCEEDED' : 'FAILED',
      allSucceeded ? undefined : 'Array Child Job failed',
    );
  }
}
