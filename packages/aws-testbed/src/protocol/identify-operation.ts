import type { ServiceId } from '../model/botocore-models';

export interface OperationTarget {
  service: ServiceId;
  operation: string;
}

const TARGET_PREFIXES: Record<string, ServiceId> = {
  AmazonEC2ContainerServiceV20141113: 'ecs',
  Logs_20140328: 'logs',
};

/** Batch's restJson1 paths (from the model's `http.requestUri`) for the operations served. */
const BATCH_PATHS: Record<string, string> = {
  '/v1/submitjob': 'SubmitJob',
  '/v1/listjobs': 'ListJobs',
  '/v1/describejobs': 'DescribeJobs',
  '/v1/terminatejob': 'TerminateJob',
  '/v1/canceljob': 'CancelJob',
  '/v1/describejobqueues': 'DescribeJobQueues',
  '/v1/describejobdefinitions': 'DescribeJobDefinitions',
  '/v1/describecomputeenvironments': 'DescribeComputeEnvironments',
  '/v1/registerjobdefinition': 'RegisterJobDefinition',
  '/v1/createjobqueue': 'CreateJobQueue',
  '/v1/createcomputeenvironment': 'CreateComputeEnvironment',
};

/** Null when the request names no service operation this server knows. */
export function identifyOperation(
  path: string,
  target: string | undefined,
): OperationTarget | { unknown: ServiceId; operation: string } | null {
  if (target) {
    const [prefix = '', operation = ''] = target.split('.');
    const service = TARGET_PREFIXES[prefix];
    return service ? { service, operation } : null;
  }
  const operation = BATCH_PATHS[path.toLowerCase()];
  if (operation) return { service: 'batch', operation };
  if (path.startsWith('/v1/')) return { unknown: 'batch', operation: path.slice(4) };
  return null;
}
