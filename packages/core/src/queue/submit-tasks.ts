import type { SubmitOutcome, SubmitSpec } from '../backends/backend';
import type { Job } from '../domain/job';
import type { QueueRecord, TaskRecord } from '../history/types';
import type { QueueCluster } from './queue-cluster';
import { queueJobRow } from './queue-job';
import { withTimeout, type SubmitContext, type SubmitTaskResult } from './submit-context';
import { readStoredTask, submissionTag, toSubmitSpec } from './task-record';

export interface TaskToSubmit {
  queue: QueueRecord;
  task: TaskRecord;
}

/** Time the whole batch may take beyond one submit's bound: sbatch takes ~5 ms a job, this allows 200×. */
const PER_TASK_ALLOWANCE_MS = 1_000;

/**
 * Submits tasks of one cluster exactly once, with Backend.submitMany: every
 * intent (fresh tag each) is durable in ONE transaction before anything is
 * sent, the backend submits them in as few round trips as it can, and every
 * answer is recorded in ONE transaction, then tracked. Per task: rejected
 * fails the task; notSubmitted releases it
 * (pending again); uncertain, or no answer at all, leaves it `unknown`,
 * settled later by its tag and never resubmitted blindly.
 */
export async function submitTasks(
  ctx: SubmitContext,
  cluster: QueueCluster,
  items: readonly TaskToSubmit[],
): Promise<SubmitTaskResult[]> {
  const leads = (): Promise<boolean> =>
    ctx.leadership ? ctx.leadership.claim(cluster.name) : Promise.resolve(true);
  // Another instance leads the cluster now: it submits these tasks, this one must not.
  if (!(await leads())) return items.map(() => 'deferred');
  const render = cluster.support.renderScript;
  // Committed before submitMany starts: a crash from here on finds the intents and never submits blindly.
  const prepared = await ctx.store.transaction(async () => {
    const claimed = new Set(
      (
        await ctx.store.claimPendingTasks(
          items.map(({ queue, task }) => ({ queueId: queue.id, taskId: task.taskId })),
        )
      ).map((t) => `${t.queueId}\0${t.taskId}`),
    );
    const mine = items
      .filter(({ queue, task }) => claimed.has(`${queue.id}\0${task.taskId}`))
      .map(({ queue, task }) => {
        const spec = toSubmitSpec(
          readStoredTask(task.spec, queue.id, task.taskId),
          submissionTag(queue.id, task.position),
        );
        return { queue, task, spec, script: render(spec) };
      });
    for (const { queue, task, spec, script } of mine) {
      if (script !== task.script) await ctx.store.updateTask(queue.id, task.taskId, { script });
      await ctx.store.recordSubmissionIntent({
        queueId: queue.id,
        taskId: task.taskId,
        tag: spec.tag,
        cluster: cluster.name,
      });
    }
    return mine;
  });
  if (prepared.length === 0) return [];
  // Lost the cluster while recording (the database went away): the intents stay open, and the
  // next leader settles them by tag after its takeover grace.
  if (!(await leads())) {
    ctx.log(
      `[${cluster.name}] ${prepared.length} tasks: not submitted, this instance no longer leads the cluster`,
    );
    return prepared.map(() => 'deferred');
  }

  const specs: SubmitSpec[] = prepared.map((p) => p.spec);
  let answers: Map<string, SubmitOutcome>;
  try {
    const timeoutMs = ctx.submitTimeoutMs + specs.length * PER_TASK_ALLOWANCE_MS;
    answers = await withTimeout(ctx.clock, timeoutMs, (signal) =>
      cluster.backend.submitMany(specs, signal),
    );
  } catch (e) {
    // The contract: a rejected submitMany leaves every spec's outcome unknown.
    const message = `submission did not complete: ${e instanceof Error ? e.message : String(e)}`;
    answers = new Map(specs.map((spec) => [spec.tag, { kind: 'uncertain', message }]));
  }

  const jobs: Job[] = [];
  const results = await ctx.store.transaction(async () => {
    const settled: SubmitTaskResult[] = [];
    for (const item of prepared) settled.push(await recordAnswer(item));
    return settled;
  });
  async function recordAnswer({
    queue,
    task,
    spec,
  }: (typeof prepared)[number]): Promise<SubmitTaskResult> {
    const answer = answers.get(spec.tag) ?? {
      kind: 'uncertain',
      message: 'the backend gave no answer for this task',
    };
    const base = {
      queueId: queue.id,
      taskId: task.taskId,
      cluster: cluster.name,
      user: cluster.user,
      spec,
      now: ctx.clock.now(),
    };
    const where = `[${cluster.name}] queue ${queue.id} task ${task.taskId}`;
    switch (answer.kind) {
      case 'submitted': {
        const job = queueJobRow({
          ...base,
          schedulerJobId: answer.schedulerJobId,
          warnings: answer.warnings,
        });
        await ctx.store.recordSubmissionOutcome({
          tag: spec.tag,
          state: 'submitted',
          schedulerJobId: answer.schedulerJobId,
          message: answer.warnings,
          job,
        });
        jobs.push(job);
        return 'submitted';
      }
      case 'rejected': {
        const job = queueJobRow({ ...base, schedulerJobId: null, rejection: answer.error });
        await ctx.store.recordSubmissionOutcome({
          tag: spec.tag,
          state: 'rejected',
          message: answer.error,
          job,
        });
        jobs.push(job);
        return 'rejected';
      }
      case 'notSubmitted':
        await ctx.store.releaseSubmission(
          spec.tag,
          `not submitted, will be submitted later: ${answer.message}`,
        );
        ctx.log(`${where}: not submitted (${answer.message}); it stays pending`);
        return 'deferred';
      case 'uncertain':
        await ctx.store.recordSubmissionOutcome({
          tag: spec.tag,
          state: 'unknown',
          message: answer.message,
        });
        ctx.log(
          `${where}: ${answer.message}; the job may exist, it will be looked up by tag ${spec.tag}`,
        );
        return 'unknown';
    }
  }
  if (cluster.monitor.trackMany) await cluster.monitor.trackMany(jobs);
  else for (const job of jobs) await cluster.monitor.track(job);
  return results;
}
