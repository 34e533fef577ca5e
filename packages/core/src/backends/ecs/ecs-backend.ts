import type { Task } from '@aws-sdk/client-ecs';
import type { ConnectionInfo } from '../../domain/connection';
import type { Clock } from '../../runtime/clock';
import type {
  Backend,
  CancelOutcome,
  FinalReport,
  JobLogs,
  LogSubject,
  ObservedJob,
  SubmitOutcome,
  SubmitSpec,
} from '../backend';
import { AWS_FIND_BY_TAGS_LAG_MS, mapBounded, RateLimiter } from '../aws';
import { classifyStoppedTask } from './classify-stopped-task';
import type { DefinitionCache } from './definition-cache';
import type { EcsCalls } from './ecs-calls';
import type { EcsLogPlace } from './ecs-logs';
import { cancelStopReason, startedByFor, taskIdOf } from './ecs-markers';
import { observeTask } from './observe-task';
import type { RunTaskSettings } from './run-task-input';
import { submitEcsTasks } from './submit-ecs-tasks';
import { taskMarks } from './task-marks';
import { overdueTasks, stopOverdue } from './time-limits';
import { logLocation } from './task-definition-facts';

export interface EcsBackendOptions {
  calls: EcsCalls;
  definitions: DefinitionCache;
  clock: Clock;
  log: (message: string) => void;
  /** The ScriptHut user: startedBy, the user tag, the name in cancel reasons. */
  user: string;
  /** RunTask settings without the container; null: the cluster is monitored only. */
  run: Omit<RunTaskSettings, 'container'> | null;
  /** Config `container`: submits need no DescribeTaskDefinition. */
  container: string | null;
  /** Wraps the EcsLogs place finder into a JobLogs (see create-ecs-cluster). */
  logs: (locate: (job: LogSubject, signal?: AbortSignal) => Promise<EcsLogPlace>) => JobLogs;
  /** RunTask calls per second: Fargate allows 20, burst and sustained. */
  runTaskPerSecond?: number;
  submitConcurrency?: number;
  submitAttempts?: number;
  submitRetryBaseMs?: number;
  /** Default AWS_FIND_BY_TAGS_LAG_MS. */
  findByTagsLagMs?: number;
}

/** New task definitions read per poll (for log locations); the rest on later polls. */
const DEFINITIONS_PER_POLL = 10;
const CALLS_IN_FLIGHT = 5;
const MAX_REMEMBERED = 20_000;

/**
 * Amazon ECS tasks of one cluster. Job ids are task ids (the ARN's last
 * segment). Every task on the cluster is listed; ScriptHut's own carry its
 * tag, user and time limit (see ecs-markers). ECS has no time limit, so
 * listJobs stops ScriptHut's tasks that ran past theirs: the limit is
 * enforced at poll granularity (a task may run up to one poll interval,
 * plus ECS's stop grace, beyond it).
 */
export class EcsBackend implements Backend {
  readonly kind = 'ecs' as const;
  readonly logs: JobLogs;
  readonly findByTagsLagMs: number;
  private readonly limiter: RateLimiter;
  /** Tasks the last poll found live, described again next poll: a stopping task (desired STOPPED) is still live. */
  private live = new Set<string>();
  /** Task id -> ARN (StopTask takes the ARN), tag -> task id of this process's submits. */
  private readonly arns = new Map<string, string>();
  private readonly submitted = new Map<string, string>();

  constructor(private readonly o: EcsBackendOptions) {
    this.limiter = new RateLimiter(o.runTaskPerSecond ?? 20, o.clock, o.runTaskPerSecond ?? 20);
    this.logs = o.logs((job, signal) => this.locate(job, signal));
    this.findByTagsLagMs = o.findByTagsLagMs ?? AWS_FIND_BY_TAGS_LAG_MS;
  }

  connection(): ConnectionInfo {
    return this.o.calls.tracker.current();
  }

  async listJobs(signal?: AbortSignal): Promise<ObservedJob[]> {
    const listed = (await this.o.calls.listAll({ desiredStatus: 'RUNNING' }, signal)).map(taskIdOf);
    const listedIds = new Set(listed);
    const carried = [...this.live].filter((id) => !listedIds.has(id));
    const tasks = (await this.o.calls.describe([...listed, ...carried], signal)).filter(
      (t) => t.lastStatus !== 'STOPPED',
    );
    this.remember(tasks);
    await this.learnDefinitions(tasks, signal);
    const now = this.o.clock.now();
    const jobs = tasks.map((t) => {
      const place = this.placeOf(t);
      return observeTask(t, taskMarks(t), now, place?.ok ? place.location : null);
    });
    const stopping = await stopOverdue(overdueTasks(tasks, now), this.o.calls, this.o.log);
    for (const job of jobs) {
      const reason = stopping.get(job.schedulerJobId);
      if (reason !== undefined) job.reason = `stopping: ${reason}`;
    }
    this.live = new Set(jobs.map((j) => j.schedulerJobId));
    return jobs;
  }

  /** DescribeTasks by id: a STOPPED task is classified; a stopping one is not final yet; a forgotten one is absent. */
  async finalReports(
    ids: readonly string[],
    signal?: AbortSignal,
  ): Promise<Map<string, FinalReport>> {
    const asked = new Map(ids.map((id) => [taskIdOf(id), id]));
    const tasks = await this.o.calls.describe(ids, signal);
    this.remember(tasks);
    await this.learnDefinitions(tasks, signal);
    const reports = new Map<string, FinalReport>();
    for (const t of tasks) {
      const id = asked.get(taskIdOf(t.taskArn ?? ''));
      const report = classifyStoppedTask(t, this.mainContainer(t));
      if (id === undefined || report === null) continue;
      const place = this.placeOf(t);
      reports.set(id, {
        ...report,
        schedulerJobId: id,
        stdoutPath: place?.ok ? place.location : null,
      });
    }
    return reports;
  }

  async submitMany(
    specs: readonly SubmitSpec[],
    signal?: AbortSignal,
  ): Promise<Map<string, SubmitOutcome>> {
    const all = (outcome: SubmitOutcome): Map<string, SubmitOutcome> =>
      new Map(specs.map((s) => [s.tag, outcome]));
    if (this.o.run === null) {
      return all({
        kind: 'rejected',
        error: `ECS cluster ${this.o.calls.cluster} has no task_definition in its config: add one to run tasks`,
      });
    }
    let container = this.o.container;
    if (container === null) {
      try {
        container = (await this.o.definitions.configured(signal)).container;
      } catch (e) {
        return all({
          kind: 'notSubmitted',
          message: `the task definition could not be read: ${e instanceof Error ? e.message : String(e)}`,
        });
      }
    }
    const outcomes = await submitEcsTasks(
      specs,
      { ...this.o.run, container },
      {
        calls: this.o.calls,
        clock: this.o.clock,
        limiter: this.limiter,
        concurrency: this.o.submitConcurrency ?? 10,
        attempts: this.o.submitAttempts ?? 4,
        retryBaseMs: this.o.submitRetryBaseMs ?? 500,
      },
      signal,
    );
    for (const [tag, outcome] of outcomes)
      if (outcome.kind === 'submitted') this.rememberSubmit(tag, outcome.schedulerJobId);
    return outcomes;
  }

  async cancel(ids: readonly string[]): Promise<CancelOutcome[]> {
    const reason = cancelStopReason(this.o.user);
    return mapBounded(ids, CALLS_IN_FLIGHT, async (id): Promise<CancelOutcome> => {
      try {
        await this.o.calls.call('ecs:StopTask', () =>
          this.o.calls.api.stopTask({
            cluster: this.o.calls.cluster,
            task: this.arns.get(taskIdOf(id)) ?? id,
            reason,
          }),
        );
        return { schedulerJobId: id, ok: true, message: null };
      } catch (e) {
        return {
          schedulerJobId: id,
          ok: false,
          message: e instanceof Error ? e.message : String(e),
        };
      }
    });
  }

  /**
   * Tags of earlier submits, this process's or a previous one's: ListTasks by
   * ScriptHut's startedBy, desired RUNNING and STOPPED (stopped tasks stay
   * listed for about an hour), then DescribeTasks for tags and environment.
   * Where ECS refuses startedBy with desiredStatus, every STOPPED task of the
   * cluster is described instead. A task that RunTask just started may take
   * a few seconds to be listed (ECS is eventually consistent).
   */
  async findByTags(tags: readonly string[]): Promise<Map<string, string>> {
    const wanted = new Set(tags);
    const found = new Map<string, string>();
    for (const tag of tags) {
      const id = this.submitted.get(tag);
      if (id !== undefined) found.set(tag, id);
    }
    if (found.size === wanted.size) return found;
    const startedBy = startedByFor(this.o.user);
    const running = await this.o.calls.listAll({ startedBy, desiredStatus: 'RUNNING' });
    const stopped = await this.o.calls
      .listAll({ startedBy, desiredStatus: 'STOPPED' })
      .catch((e: unknown) => {
        if (awsCoreErrorCode(e) !== 'InvalidParameterException') throw e;
        return this.o.calls.listAll({ desiredStatus: 'STOPPED' });
      });
    for (const t of await this.o.calls.describe([...running, ...stopped])) {
      const tag = taskMarks(t).tag;
      if (tag !== null && wanted.has(tag) && !found.has(tag))
        found.set(tag, taskIdOf(t.taskArn ?? ''));
    }
    return found;
  }

  /** For logs of a job the poll gave no location: describe its task. */
  private async locate(job: LogSubject, signal?: AbortSignal): Promise<EcsLogPlace> {
    if (job.schedulerJobId === null) return null;
    const [t] = await this.o.calls.describe([job.schedulerJobId], signal);
    if (t === undefined) return null;
    await this.learnDefinitions([t], signal);
    return this.placeOf(t);
  }

  private placeOf(t: Task): EcsLogPlace {
    const facts = t.taskDefinitionArn ? this.o.definitions.known(t.taskDefinitionArn) : undefined;
    if (facts === undefined || facts === null) return null;
    return logLocation(facts, taskIdOf(t.taskArn ?? ''));
  }

  /** The container the command ran in: ScriptHut's override, else the definition's first essential one. */
  private mainContainer(t: Task): string | null {
    const override = t.overrides?.containerOverrides?.find((c) => c.command !== undefined)?.name;
    if (override !== undefined) return override;
    return (
      (t.taskDefinitionArn ? this.o.definitions.known(t.taskDefinitionArn)?.container : null) ??
      null
    );
  }

  private async learnDefinitions(tasks: readonly Task[], signal?: AbortSignal): Promise<void> {
    const arns = [
      ...new Set(tasks.map((t) => t.taskDefinitionArn).filter((a): a is string => !!a)),
    ];
    const unknown = arns
      .filter((a) => this.o.definitions.known(a) === undefined)
      .slice(0, DEFINITIONS_PER_POLL);
    await mapBounded(unknown, CALLS_IN_FLIGHT, (a) => this.o.definitions.learn(a, signal));
  }

  private remember(tasks: readonly Task[]): void {
    if (this.arns.size > MAX_REMEMBERED) this.arns.clear();
    for (const t of tasks) if (t.taskArn) this.arns.set(taskIdOf(t.taskArn), t.taskArn);
  }

  private rememberSubmit(tag: string, id: string): void {
    if (this.submitted.size > MAX_REMEMBERED) this.submitted.clear();
    this.submitted.set(tag, id);
  }
}

const awsCoreErrorCode = (e: unknown): unknown =>
  (e as { details?: { code?: unknown } }).details?.code;
