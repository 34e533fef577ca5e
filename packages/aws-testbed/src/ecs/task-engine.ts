import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { join } from 'node:path';
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
import type { EcsContainer, EcsTask, StopCode, TaskStatus } from './ecs-task';

export interface EcsDwellMs {
  PROVISIONING: number;
  PENDING: number;
  ACTIVATING: number;
  DEACTIVATING: number;
  STOPPING: number;
  DEPROVISIONING: number;
}

export interface TaskEngineOptions {
  logs: LogStore;
  memory: MemoryWatcher;
  timers: TimerSet;
  faults: JobFaults;
  workRoot: string;
  timeScale: number;
  dwellMs: EcsDwellMs;
  retentionMs: () => number | null;
}

const DEFAULT_STOP_TIMEOUT_SECONDS = 30;
export const SPOT_REASON = 'Your Spot Task was interrupted.';

/**
 * The ECS task state machine. PROVISIONING waits for cluster vCPUs; each
 * container is a real process from RUNNING on; an essential container's exit
 * (or StopTask, or a fault) sets desiredStatus STOPPED, and once every
 * container has stopped the task walks DEACTIVATING → STOPPING →
 * DEPROVISIONING → STOPPED and gives its vCPUs back.
 */
export class TaskEngine {
  readonly tasks = new Map<string, EcsTask>();
  private seq = 0;
  private waiting = new Set<EcsTask>();
  private capacityWait = false;

  constructor(private readonly o: TaskEngineOptions) {}

  nextSeq(): number {
    return ++this.seq;
  }

  add(task: EcsTask): void {
    this.tasks.set(task.taskId, task);
    this.o.timers.after(this.o.dwellMs.PROVISIONING, () => {
      if (task.desiredStatus !== 'RUNNING') return;
      this.waiting.add(task);
      this.place();
    });
  }

  /** By task id or ARN; undefined when unknown or forgotten. */
  find(ref: string): EcsTask | undefined {
    return this.tasks.get(ref.split('/').pop() ?? '');
  }

  setCapacityWait(enabled: boolean): void {
    this.capacityWait = enabled;
    this.place();
  }

  stop(task: EcsTask, code: StopCode, reason: string): void {
    if (task.desiredStatus === 'STOPPED') return;
    this.markStopping(task, code, reason);
    const running = task.containers.filter((c) => c.run && c.lastStatus === 'RUNNING');
    if (task.lastStatus !== 'RUNNING' || running.length === 0) return this.windDown(task);
    for (const c of running) c.run?.stop(this.graceMs(task, c));
  }

  applyFaultNow(fault: JobFault): boolean {
    const task = fault.jobId ? this.find(fault.jobId) : undefined;
    if (!task || task.lastStatus !== 'RUNNING' || fault.kind === 'failed-to-start') return false;
    this.o.timers.after(fault.afterRunningMs ?? 0, () => this.applyFault(task, fault));
    return true;
  }

  forget(ids: string[]): void {
    for (const id of ids) {
      const task = this.find(id);
      if (!task) continue;
      this.tasks.delete(task.taskId);
      this.waiting.delete(task);
    }
  }

  close(): void {
    for (const t of this.tasks.values()) {
      for (const c of t.containers) c.run?.interrupt({ exitCode: null, cause: 'interrupted' });
    }
  }

  private place(): void {
    if (this.capacityWait) return;
    for (const task of [...this.waiting].sort((a, b) => a.seq - b.seq)) {
      const cluster = task.cluster;
      if (cluster.vcpus - cluster.usedVcpus < task.vcpus) continue;
      cluster.usedVcpus += task.vcpus;
      task.placed = true;
      this.waiting.delete(task);
      this.advance(task, 'PENDING', this.o.dwellMs.PENDING, () => this.activate(task));
    }
  }

  private activate(task: EcsTask): void {
    const names = [task.startedBy ?? '', task.definition.definition.family ?? ''];
    const failToStart = this.o.faults
      .take('start', [task.taskId, task.taskArn], names)
      .some((f) => f.kind === 'failed-to-start');
    task.pullStartedAt = Date.now();
    this.advance(task, 'ACTIVATING', this.o.dwellMs.ACTIVATING, () => {
      task.pullStoppedAt = Date.now();
      if (!failToStart) return this.run(task, names);
      for (const c of task.containers) c.reason = CANNOT_PULL_REASON;
      this.markStopping(task, 'TaskFailedToStart', CANNOT_PULL_REASON);
      this.windDown(task);
    });
  }

  /** Sets the status, then after `dwellMs` runs `next` unless a stop came in between. */
  private advance(task: EcsTask, status: TaskStatus, dwellMs: number, next: () => void): void {
    this.setStatus(task, status);
    this.o.timers.after(dwellMs, () => {
      if (task.desiredStatus === 'RUNNING') next();
    });
  }

  private run(task: EcsTask, names: string[]): void {
    task.startedAt = Date.now();
    this.setStatus(task, 'RUNNING');
    for (const c of task.containers) {
      const logStream = c.logStream;
      const logGroup = c.logGroup;
      if (logGroup && logStream) this.o.logs.ensureStream(logGroup, logStream);
      c.lastStatus = 'RUNNING';
      c.run = new ContainerRun(
        {
          command: c.command,
          environment: c.environment,
          cwd: this.workingDirectory(c),
          ...(c.memoryMiB !== undefined ? { memoryMiB: c.memoryMiB } : {}),
          onLine: (message, atMs) => {
            if (logGroup && logStream) this.o.logs.append(logGroup, logStream, message, atMs);
          },
        },
        this.o.memory,
      );
      void c.run.done.then((exit) => this.containerExited(task, c, exit));
    }
    for (const fault of this.o.faults.take('running', [task.taskId, task.taskArn], names)) {
      this.o.timers.after(fault.afterRunningMs ?? 0, () => this.applyFault(task, fault));
    }
  }

  private applyFault(task: EcsTask, fault: JobFault): void {
    if (task.lastStatus !== 'RUNNING') return;
    const main = task.containers.find((c) => c.essential && c.lastStatus === 'RUNNING');
    switch (fault.kind) {
      case 'oom':
        return main?.run?.interrupt({ exitCode: 137, reason: OOM_REASON, cause: 'oom' });
      case 'oom-exit-0':
        return main?.run?.interrupt({ exitCode: 0, reason: OOM_REASON, cause: 'oom' });
      case 'spot-interruption':
        return this.stop(task, 'SpotInterruption', SPOT_REASON);
      case 'host-terminated':
        this.markStopping(task, 'TerminationNotice', HOST_TERMINATED_REASON);
        for (const c of task.containers) c.run?.interrupt({ exitCode: null, cause: 'interrupted' });
        return;
      case 'timeout': // ECS has no attempt timeout
      case 'failed-to-start':
        return;
    }
  }

  private containerExited(task: EcsTask, c: EcsContainer, exit: ContainerExit): void {
    c.lastStatus = 'STOPPED';
    if (exit.exitCode !== null) c.exitCode = exit.exitCode;
    if (exit.reason) c.reason = exit.reason;
    if (task.desiredStatus === 'RUNNING' && c.essential) {
      if (exit.cause === 'start-error') {
        this.markStopping(task, 'TaskFailedToStart', exit.reason ?? 'CannotStartContainerError');
      } else {
        this.markStopping(task, 'EssentialContainerExited', 'Essential container in task exited');
      }
      for (const other of task.containers) {
        if (other.lastStatus === 'RUNNING') other.run?.stop(this.graceMs(task, other));
      }
    }
    if (task.containers.every((x) => x.lastStatus === 'STOPPED')) this.windDown(task);
  }

  private markStopping(task: EcsTask, code: StopCode, reason: string): void {
    task.desiredStatus = 'STOPPED';
    task.stopCode = code;
    task.stoppedReason = reason;
    task.stoppingAt = Date.now();
    task.version++;
    this.waiting.delete(task);
  }

  private windDown(task: EcsTask): void {
    task.executionStoppedAt = Date.now();
    for (const c of task.containers) c.lastStatus = 'STOPPED';
    const { DEACTIVATING, STOPPING, DEPROVISIONING } = this.o.dwellMs;
    const wasRunning = task.startedAt !== undefined;
    const steps: [TaskStatus, number][] = wasRunning
      ? [
          ['DEACTIVATING', DEACTIVATING],
          ['STOPPING', STOPPING],
          ['DEPROVISIONING', DEPROVISIONING],
        ]
      : [['DEPROVISIONING', DEPROVISIONING]];
    const step = (i: number): void => {
      const entry = steps[i];
      if (!entry) return this.stopped(task);
      this.setStatus(task, entry[0]);
      this.o.timers.after(entry[1], () => step(i + 1));
    };
    step(0);
  }

  private stopped(task: EcsTask): void {
    task.stoppedAt = Date.now();
    this.setStatus(task, 'STOPPED');
    if (task.placed) {
      task.cluster.usedVcpus -= task.vcpus;
      task.placed = false;
    }
    const retentionMs = this.o.retentionMs();
    if (retentionMs !== null) this.o.timers.after(retentionMs, () => this.forget([task.taskId]));
    this.place();
  }

  private setStatus(task: EcsTask, status: TaskStatus): void {
    task.lastStatus = status;
    task.version++;
  }

  private graceMs(task: EcsTask, c: EcsContainer): number {
    const def = task.definition.definition.containerDefinitions?.find((d) => d.name === c.name);
    return (def?.stopTimeout ?? DEFAULT_STOP_TIMEOUT_SECONDS) * 1000 * this.o.timeScale;
  }

  private workingDirectory(c: EcsContainer): string {
    const wd = c.workingDirectory;
    if (wd && existsSync(wd) && statSync(wd).isDirectory()) return wd;
    return mkdtempSync(join(this.o.workRoot, 'task-'));
  }
}
