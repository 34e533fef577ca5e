import {
  BatchClient,
  DescribeJobsCommand,
  ListJobsCommand,
  SubmitJobCommand,
  type JobStatus,
} from '@aws-sdk/client-batch';
import { mapBounded } from '../aws/map-bounded';

/**
 * Bare SDK calls against a Batch endpoint, without ScriptHut's backend: the
 * baselines the benchmarks compare the backend with. Test and bench only.
 */
export function rawBatchClient(endpoint: string): BatchClient {
  return new BatchClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'not-a-secret' },
    maxAttempts: 1,
  });
}

/** `count` SubmitJobs, `concurrency` in flight, no client-side rate limit and no retry. */
export async function rawSubmitJobs(
  client: BatchClient,
  o: { count: number; concurrency: number; queue: string; definition: string; namePrefix: string },
): Promise<{ accepted: number; throttled: number; failed: number }> {
  const tally = { accepted: 0, throttled: 0, failed: 0 };
  await mapBounded(
    Array.from({ length: o.count }, (_, i) => i),
    o.concurrency,
    async (i) => {
      try {
        await client.send(
          new SubmitJobCommand({ jobName: `${o.namePrefix}-${i}`, jobQueue: o.queue, jobDefinition: o.definition }),
        );
        tally.accepted++;
      } catch (e) {
        if ((e as { name?: string }).name === 'TooManyRequestsException') tally.throttled++;
        else tally.failed++;
      }
    },
  );
  return tally;
}

/** One bare poll: ListJobs pages for every active status, then DescribeJobs in batches of 100. */
export async function rawPoll(client: BatchClient, queue: string): Promise<{ jobs: number; calls: number }> {
  const ids: string[] = [];
  let calls = 0;
  for (const jobStatus of ['SUBMITTED', 'PENDING', 'RUNNABLE', 'STARTING', 'RUNNING'] satisfies JobStatus[]) {
    let nextToken: string | undefined;
    do {
      const page = await client.send(new ListJobsCommand({ jobQueue: queue, jobStatus, maxResults: 1000, nextToken }));
      calls++;
      for (const j of page.jobSummaryList ?? []) if (j.jobId) ids.push(j.jobId);
      nextToken = page.nextToken;
    } while (nextToken);
  }
  let jobs = 0;
  for (let i = 0; i < ids.length; i += 100) {
    const page = await client.send(new DescribeJobsCommand({ jobs: ids.slice(i, i + 100) }));
    calls++;
    jobs += page.jobs?.length ?? 0;
  }
  return { jobs, calls };
}
