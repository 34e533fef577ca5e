import type { ListJobsRequest, ListJobsResponse } from '@aws-sdk/client-batch';
import { batchClientError } from '../protocol/aws-error';
import type { BatchJob } from './batch-job';
import { toJobSummary } from './batch-views';

const MAX_WITH_STATUS = 1000;
const MAX_WITH_FILTERS = 100;

/**
 * ListJobs as the model documents it: exactly one of jobQueue / arrayJobId /
 * multiNodeJobId; one `jobStatus` (RUNNING when absent) or one filter, which
 * ignores the status and returns every status, newest first. Pages hold up
 * to 1000 jobs with a status and 100 with a filter; the token is a cursor on
 * submission order, so jobs submitted between pages never shift a page.
 */
export function listJobs(jobs: Map<string, BatchJob>, input: ListJobsRequest): ListJobsResponse {
  const scopes = [input.jobQueue, input.arrayJobId, input.multiNodeJobId].filter(
    (s) => s !== undefined,
  );
  if (scopes.length !== 1) {
    throw batchClientError(
      'Exactly one of jobQueue, arrayJobId or multiNodeJobId must be specified',
    );
  }
  const filters = input.filters ?? [];
  if (filters.length > 1) throw batchClientError('Only one filter can be specified at a time');
  const filter = filters[0];
  const max = filter ? MAX_WITH_FILTERS : MAX_WITH_STATUS;
  const pageSize = input.maxResults ?? max;
  if (pageSize < 1 || pageSize > max) {
    throw batchClientError(`maxResults must be between 1 and ${max}`);
  }
  const matchFilter = filter ? filterMatcher(filter.name ?? '', filter.values ?? []) : null;
  const status = input.jobStatus ?? 'RUNNING';
  const arrayListing = input.arrayJobId !== undefined;
  let selected = [...jobs.values()].filter((job) => {
    if (input.jobQueue !== undefined) {
      const q = job.queue.detail;
      if (job.parentId || (q.jobQueueName !== input.jobQueue && q.jobQueueArn !== input.jobQueue)) {
        return false;
      }
    } else if (input.arrayJobId !== undefined) {
      if (job.parentId !== input.arrayJobId) return false;
    } else {
      return false; // no multi-node jobs here
    }
    return matchFilter ? matchFilter(job) : job.status === status;
  });
  // Array children in index order; everything else newest first.
  selected.sort((a, b) => (arrayListing ? a.seq - b.seq : b.seq - a.seq));
  if (input.nextToken) {
    const cursor = parseToken(input.nextToken);
    selected = selected.filter((j) => (arrayListing ? j.seq > cursor : j.seq < cursor));
  }
  const page = selected.slice(0, pageSize);
  const last = page.at(-1);
  const lookup = (id: string): BatchJob | undefined => jobs.get(id);
  return {
    jobSummaryList: page.map((j) => toJobSummary(j, lookup)),
    ...(selected.length > pageSize && last ? { nextToken: makeToken(last.seq) } : {}),
  };
}

function filterMatcher(name: string, values: string[]): (job: BatchJob) => boolean {
  const [value, ...more] = values;
  if (value === undefined || more.length > 0) {
    throw batchClientError(`Filter ${name} takes exactly one value`);
  }
  switch (name) {
    case 'JOB_NAME':
      return (job) => nameMatches(value, job.jobName);
    case 'JOB_DEFINITION':
      return (job) =>
        job.definition.jobDefinitionArn === value ||
        nameMatches(value, `${job.definition.jobDefinitionName}:${job.definition.revision}`) ||
        nameMatches(value, job.definition.jobDefinitionName ?? '');
    case 'BEFORE_CREATED_AT':
      return (job) => job.createdAt < Number(value);
    case 'AFTER_CREATED_AT':
      return (job) => job.createdAt > Number(value);
    default:
      throw batchClientError(`Unsupported filter name ${name}`);
  }
}

/** Case-insensitive; a trailing `*` makes it a prefix match. */
function nameMatches(pattern: string, name: string): boolean {
  const p = pattern.toLowerCase();
  const n = name.toLowerCase();
  return p.endsWith('*') ? n.startsWith(p.slice(0, -1)) : n === p;
}

function makeToken(seq: number): string {
  return Buffer.from(JSON.stringify({ after: seq })).toString('base64url');
}

function parseToken(token: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      after?: unknown;
    };
    if (typeof parsed.after === 'number') return parsed.after;
  } catch {
    // fall through
  }
  throw batchClientError('Invalid nextToken');
}
