import {
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  RunTaskCommand,
  StopTaskCommand,
  type DescribeTaskDefinitionCommandInput,
  type DescribeTaskDefinitionCommandOutput,
  type DescribeTasksCommandInput,
  type DescribeTasksCommandOutput,
  type ECSClient,
  type ListTasksCommandInput,
  type ListTasksCommandOutput,
  type RunTaskCommandInput,
  type RunTaskCommandOutput,
  type StopTaskCommandInput,
  type StopTaskCommandOutput,
} from '@aws-sdk/client-ecs';

/** The ECS calls the backend makes, one method per operation, so tests can stand in for AWS. */
export interface EcsApi {
  listTasks(input: ListTasksCommandInput, signal?: AbortSignal): Promise<ListTasksCommandOutput>;
  describeTasks(
    input: DescribeTasksCommandInput,
    signal?: AbortSignal,
  ): Promise<DescribeTasksCommandOutput>;
  describeTaskDefinition(
    input: DescribeTaskDefinitionCommandInput,
    signal?: AbortSignal,
  ): Promise<DescribeTaskDefinitionCommandOutput>;
  /** Sent once: never retried by the SDK (see awsSubmitClientConfig). */
  runTask(input: RunTaskCommandInput, signal?: AbortSignal): Promise<RunTaskCommandOutput>;
  stopTask(input: StopTaskCommandInput, signal?: AbortSignal): Promise<StopTaskCommandOutput>;
}

const opts = (signal?: AbortSignal): { abortSignal?: AbortSignal } =>
  signal ? { abortSignal: signal } : {};

/** EcsApi over two SDK clients: `reads` retries (and serves StopTask, which is idempotent), `submits` does not. */
export function ecsApiOf(reads: ECSClient, submits: ECSClient): EcsApi {
  return {
    listTasks: (input, signal) => reads.send(new ListTasksCommand(input), opts(signal)),
    describeTasks: (input, signal) => reads.send(new DescribeTasksCommand(input), opts(signal)),
    describeTaskDefinition: (input, signal) =>
      reads.send(new DescribeTaskDefinitionCommand(input), opts(signal)),
    runTask: (input, signal) => submits.send(new RunTaskCommand(input), opts(signal)),
    stopTask: (input, signal) => reads.send(new StopTaskCommand(input), opts(signal)),
  };
}
