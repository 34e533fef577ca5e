import type {
  CancelJobRequest,
  CreateComputeEnvironmentRequest,
  CreateJobQueueRequest,
  DescribeComputeEnvironmentsRequest,
  DescribeJobDefinitionsRequest,
  DescribeJobQueuesRequest,
  DescribeJobsRequest,
  ListJobsRequest,
  RegisterJobDefinitionRequest,
  SubmitJobRequest,
  TerminateJobRequest,
} from '@aws-sdk/client-batch';
import { batchClientError } from '../protocol/aws-error';
import type { OperationTable } from '../server/operation-table';
import type { BatchEngine } from './batch-engine';
import type { BatchResources } from './batch-resources';
import { toJobDetail } from './batch-views';
import { listJobs } from './list-jobs';
import { paginate } from './paginate';
import { buildJob } from './submit-job';

export function batchOperations(engine: BatchEngine, resources: BatchResources): OperationTable {
  const lookup = (id: string) => engine.jobs.get(id);
  return {
    SubmitJob: (raw) => {
      const job = buildJob(
        raw as SubmitJobRequest,
        resources,
        (id) => engine.jobs.has(id),
        engine.nextSeq(),
      );
      engine.add(job);
      return { jobArn: job.jobArn, jobName: job.jobName, jobId: job.jobId };
    },
    ListJobs: (raw) => listJobs(engine.jobs, raw as ListJobsRequest),
    DescribeJobs: (raw) => {
      const ids = (raw as DescribeJobsRequest).jobs ?? [];
      if (ids.length > 100) {
        throw batchClientError('DescribeJobs accepts at most 100 job IDs per request');
      }
      const found = [...new Set(ids)].flatMap((id) => {
        const job = engine.jobs.get(id.startsWith('arn:') ? (id.split('/').pop() ?? '') : id);
        return job ? [toJobDetail(job, lookup)] : []; // unknown ids are silently absent
      });
      return { jobs: found };
    },
    TerminateJob: (raw) => {
      const { jobId = '', reason = '' } = raw as TerminateJobRequest;
      engine.terminate(engine.get(jobId), reason);
      return {};
    },
    CancelJob: (raw) => {
      const { jobId = '', reason = '' } = raw as CancelJobRequest;
      engine.cancel(engine.get(jobId), reason);
      return {};
    },
    RegisterJobDefinition: (raw) => {
      const d = resources.registerJobDefinition(raw as RegisterJobDefinitionRequest);
      return {
        jobDefinitionName: d.jobDefinitionName,
        jobDefinitionArn: d.jobDefinitionArn,
        revision: d.revision,
      };
    },
    CreateComputeEnvironment: (raw) => {
      const { detail } = resources.createComputeEnvironment(raw as CreateComputeEnvironmentRequest);
      return {
        computeEnvironmentName: detail.computeEnvironmentName,
        computeEnvironmentArn: detail.computeEnvironmentArn,
      };
    },
    CreateJobQueue: (raw) => {
      const { detail } = resources.createJobQueue(raw as CreateJobQueueRequest);
      return { jobQueueName: detail.jobQueueName, jobQueueArn: detail.jobQueueArn };
    },
    DescribeJobQueues: (raw) => {
      const input = raw as DescribeJobQueuesRequest;
      const all = [...resources.queues.values()].map((q) => q.detail);
      const wanted = input.jobQueues;
      const selected = wanted
        ? all.filter(
            (q) => wanted.includes(q.jobQueueName ?? '') || wanted.includes(q.jobQueueArn ?? ''),
          )
        : all;
      const { items, nextToken } = paginate(selected, input.maxResults, input.nextToken);
      return { jobQueues: items, ...(nextToken ? { nextToken } : {}) };
    },
    DescribeComputeEnvironments: (raw) => {
      const input = raw as DescribeComputeEnvironmentsRequest;
      const wanted = input.computeEnvironments;
      const all = [...resources.environments.values()].map((e) => e.detail);
      const selected = wanted
        ? all.filter(
            (e) =>
              wanted.includes(e.computeEnvironmentName ?? '') ||
              wanted.includes(e.computeEnvironmentArn ?? ''),
          )
        : all;
      const { items, nextToken } = paginate(selected, input.maxResults, input.nextToken);
      return { computeEnvironments: items, ...(nextToken ? { nextToken } : {}) };
    },
    DescribeJobDefinitions: (raw) => {
      const input = raw as DescribeJobDefinitionsRequest;
      let all = [...resources.definitions.values()].flat();
      if (input.jobDefinitionName)
        all = all.filter((d) => d.jobDefinitionName === input.jobDefinitionName);
      if (input.status) all = all.filter((d) => d.status === input.status);
      const wanted = input.jobDefinitions;
      if (wanted) {
        all = all.filter(
          (d) =>
            wanted.includes(d.jobDefinitionArn ?? '') ||
            wanted.includes(`${d.jobDefinitionName}:${d.revision}`) ||
            wanted.includes(d.jobDefinitionName ?? ''),
        );
      }
      const { items, nextToken } = paginate(all, input.maxResults, input.nextToken);
      return { jobDefinitions: items, ...(nextToken ? { nextToken } : {}) };
    },
  };
}
