import type { Failure, RunTaskCommandOutput } from '@aws-sdk/client-ecs';
import type { SubmitOutcome } from '../backend';
import { taskIdOf } from './ecs-markers';

/**
 * Placement failures that may heal by themselves: no container instance
 * with room (`RESOURCE:CPU`, `RESOURCE:MEMORY`, `RESOURCE:PORTS`,
 * `RESOURCE:ENI`, `RESOURCE:GPU`), agents disconnected (`AGENT`), Fargate out
 * of capacity. No task was started for them, so `notSubmitted`: the queue
 * tries again later (with a new tag, hence a new clientToken). Every other
 * reason (`ATTRIBUTE`: no instance matches the placement constraints,
 * `MISSING`, anything new) is `rejected` with AWS's words.
 */
export function runTaskFailureOutcome(f: Failure): Exclude<SubmitOutcome, { kind: 'submitted' }> {
  const reason = f.reason ?? 'no reason given';
  const words = `ECS did not start the task: ${reason}${f.detail ? ` (${f.detail})` : ''}`;
  if (
    /^RESOURCE:/.test(reason) ||
    reason === 'AGENT' ||
    /capacity/i.test(`${reason} ${f.detail ?? ''}`)
  ) {
    return { kind: 'notSubmitted', message: `${words}; it may fit once capacity frees up` };
  }
  return { kind: 'rejected', error: words };
}

/** A 200 answer of RunTask (count 1): its task, else its failure; neither is a lost answer. */
export function runTaskOutcome(out: RunTaskCommandOutput): SubmitOutcome {
  const arn = out.tasks?.[0]?.taskArn;
  if (arn !== undefined)
    return { kind: 'submitted', schedulerJobId: taskIdOf(arn), warnings: null };
  const failure = out.failures?.[0];
  if (failure !== undefined) return runTaskFailureOutcome(failure);
  return { kind: 'uncertain', message: 'ECS RunTask answered with neither a task nor a failure' };
}
