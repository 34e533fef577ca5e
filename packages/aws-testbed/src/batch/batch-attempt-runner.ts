import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import type { AttemptDetail } from '@aws-sdk/client-batch';
import { baseEnvironment } from '../compute/base-environment';
import { ContainerRun, OOM_REASON, type ContainerExit } from '../compute/container-run';
import type { MemoryWatcher } from '../compute/memory-watcher';
import {
  CANNOT_PULL_REASON,
  HOST_TERMINATED_REASON,
  type JobFault,
  type JobFaults,
} from '../faults/job-faults';
import type { LogStore } from '../logs/log-store';
import type { TimerSet } from '../runtime/timer-set';
import type { ComputeEnvironment } from './batch-resources';
import type { BatchJob, CurrentAttempt } from './batch-job';

export const TIMEOUT_REASON = 'Job attempt duration exceeded timeout';
/** Seconds between SIGTERM and SIGKILL when Batch stops a container (scaled by timeScale). */
const STOP_GRACE_SECONDS = 30;

export interface AttemptRunnerOptions {
  region: string;
  accountId: string;
  logs: LogStore;
  memory: MemoryWatcher;
  timers: TimerSet;
  faults: JobFaults;
  workRoot: string;
  timeScale: number;
  startingMs: number;
  /** Called once per attempt, after it is appended to `job.attempts` and `job.current` cleared. */
  onEnded: (
    job: BatchJob,
    ended: CurrentAttempt,
    attempt: AttemptDetail,
    exit: ContainerExit,
  ) => void;
}

/** Runs one attempt of a job: STARTING → RUNNING (a real process) → stopped. */
export class BatchAttemptRunner {
  constructor(private readonly o: AttemptRunnerOptions) {}

  start(job: BatchJob, environment: ComputeEnvironment): void {
    const taskId = randomBytes(16).toString('hex');
    const cluster = `${environment.detail.computeEnvironmentName}_Batch_${randomUUID()}`;
    const current = {
      taskId,
      taskArn: `arn:aws:ecs:${this.o.region}:${this.o.accountId}:task/${cluster}/${taskId}`,
      environment,
    };
    job.current = current;
    job.status = 'STARTING';
    delete job.statusReason;
    const failToStart = this.faultsFor(job, 'start').some((f) => f.kind === 'failed-to-start');
    this.o.timers.after(this.o.startingMs, () => {
      if (job.current !== current) return; // terminated while STARTING
      if (failToStart) {
        this.end(job, { exitCode: null, reason: CANNOT_PULL_REASON, cause: 'start-error' });
      } else {
        this.run(job);
      }
    });
  }

  /** TerminateJob of a STARTING or RUNNING job. */
  terminate(job: BatchJob, reason: string): void {
    const current = job.current;
    if (!current) return;
    current.terminating = reason;
    if (current.run) current.run.stop(STOP_GRACE_SECONDS * 1000 * this.o.timeScale);
    else this.end(job, { exitCode: null, cause: 'stopped' });
  }

  applyFault(job: BatchJob, fault: JobFault): void {
    const current = job.current;
    const run = current?.run;
    if (!current || !run) return;
    switch (fault.kind) {
      case 'oom':
        return run.interrupt({ exitCode: 137, reason: OOM_REASON, cause: 'oom' });
      case 'oom-exit-0':
        return run.interrupt({ exitCode: 0, reason: OOM_REASON, cause: 'oom' });
      case 'timeout':
        current.timedOut = true;
        return run.stop(STOP_GRACE_SECONDS * 1000 * this.o.timeScale);
      case 'host-terminated':
      case 'spot-interruption':
        return run.interrupt({
          exitCode: null,
          reason: HOST_TERMINATED_REASON,
          cause: 'interrupted',
        });
      case 'failed-to-start':
        return;
    }
  }

  private run(job: BatchJob): void {
    const current = job.current;
    if (!current) return;
    const now = Date.now();
    const stream = `${job.definition.jobDefinitionName}/default/${current.taskId}`;
    this.o.logs.ensureStream(job.logGroup, stream);
    current.logStreamName = stream;
    current.startedAt = now;
    job.startedAt = now;
    job.status = 'RUNNING';
    const run = new ContainerRun(
      {
        command: job.command,
        environment: this.environmentOf(job),
        cwd: mkdtempSync(join(this.o.workRoot, 'job-')),
        ...(job.memoryMiB !== undefined ? { memoryMiB: job.memoryMiB } : {}),
        onLine: (message, atMs) => this.o.logs.append(job.logGroup, stream, message, atMs),
      },
      this.o.memory,
    );
    current.run = run;
    void run.done.then((exit) => this.end(job, exit));
    if (job.timeoutSeconds !== undefined) {
      this.o.timers.after(job.timeoutSeconds * 1000 * this.o.timeScale, () => {
        if (job.current === current) this.applyFault(job, { kind: 'timeout', jobId: job.jobId });
      });
    }
    for (const fault of this.faultsFor(job, 'running')) {
      this.o.timers.after(fault.afterRunningMs ?? 0, () => {
        if (job.current === current) this.applyFault(job, fault);
      });
    }
  }

  private end(job: BatchJob, exit: ContainerExit): void {
    const current = job.current;
    if (!current) return;
    delete job.current;
    const statusReason =
      current.terminating ??
      (current.timedOut
        ? TIMEOUT_REASON
        : exit.cause === 'interrupted'
          ? HOST_TERMINATED_REASON
          : exit.cause === 'start-error'
            ? 'Task failed to start'
            : 'Essential container in task exited');
    const containerReason = exit.cause === 'interrupted' ? undefined : exit.reason;
    const attempt: AttemptDetail = {
      container: {
        containerInstanceArn: `arn:aws:ecs:${this.o.region}:${this.o.accountId}:container-instance/${current.taskId.slice(0, 8)}`,
        taskArn: current.taskArn,
        ...(exit.exitCode !== null ? { exitCode: exit.exitCode } : {}),
        ...(containerReason ? { reason: containerReason } : {}),
        ...(current.logStreamName ? { logStreamName: current.logStreamName } : {}),
        networkInterfaces: [],
      },
      ...(current.startedAt !== undefined ? { startedAt: current.startedAt } : {}),
      stoppedAt: Date.now(),
      statusReason,
    };
    job.attempts.push(attempt);
    this.o.onEnded(job, current, attempt, exit);
  }

  private environmentOf(job: BatchJob): Record<string, string> {
    const env = baseEnvironment();
    for (const kv of job.environment) if (kv.name) env[kv.name] = kv.value ?? '';
    env.AWS_BATCH_JOB_ID = job.jobId;
    env.AWS_BATCH_JOB_ATTEMPT = String(job.attempts.length + 1);
    env.AWS_BATCH_JQ_NAME = job.queue.detail.jobQueueName ?? '';
    env.AWS_BATCH_CE_NAME = job.current?.environment.detail.computeEnvironmentName ?? '';
    if (job.arrayIndex !== undefined) env.AWS_BATCH_JOB_ARRAY_INDEX = String(job.arrayIndex);
    return env;
  }

  private faultsFor(job: BatchJob, phase: 'start' | 'running'): JobFault[] {
    const ids = [job.jobId, ...(job.parentId ? [job.parentId] : [])];
    return this.o.faults.take(phase, ids, [job.jobName]);
  }
}
