import {
  DescribeJobsCommand,
  ListJobsCommand,
  SubmitJobCommand,
  paginateListJobs,
} from '@aws-sdk/client-batch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsTestServer } from '../src/index';
import { clientsFor, pollUntil, startTestbed, waitForJob, type Clients } from './testing';

let server: AwsTestServer;
let c: Clients;
const held: string[] = [];

beforeAll(async () => {
  server = await startTestbed();
  c = clientsFor(server);
  // 2,500 jobs held RUNNABLE by a capacity wait: cheap, and they stay put while paging.
  server.setCapacityWait({ enabled: true });
  for (let batch = 0; batch < 25; batch++) {
    const outs = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        c.batch.send(
          new SubmitJobCommand({
            jobName: `${i % 2 === 0 ? 'Even' : 'odd'}-${batch}-${i}`,
            jobQueue: 'q',
            jobDefinition: 'jd',
            containerOverrides: { command: ['true'] },
          }),
        ),
      ),
    );
    held.push(...outs.map((o) => o.jobId ?? ''));
  }
  await pollUntil(
    () => c.batch.send(new ListJobsCommand({ jobQueue: 'q', jobStatus: 'SUBMITTED' })),
    (out) => out.jobSummaryList?.length === 0,
  );
}, 60_000);
afterAll(async () => {
  expect(server.violations()).toEqual([]);
  await server.close();
});

describe('ListJobs', () => {
  it('pages 2,500 RUNNABLE jobs 1,000 at a time with nextToken, one call per page', async () => {
    server.resetRequestLog();
    const pages: number[] = [];
    const ids = new Set<string>();
    for await (const page of paginateListJobs(
      { client: c.batch },
      { jobQueue: 'q', jobStatus: 'RUNNABLE' },
    )) {
      pages.push(page.jobSummaryList?.length ?? 0);
      for (const j of page.jobSummaryList ?? []) ids.add(j.jobId ?? '');
    }
    expect(pages).toEqual([1000, 1000, 500]);
    expect(ids.size).toBe(2500);
    expect(server.requestCounts()).toEqual({ 'batch:ListJobs': 3 });
  });

  it('lists only RUNNING jobs when neither jobStatus nor filters is given', async () => {
    const out = await c.batch.send(new ListJobsCommand({ jobQueue: 'q' }));
    expect(out.jobSummaryList).toEqual([]);
  });

  it('filters by JOB_NAME case-insensitively with a trailing * prefix, newest first, 100 per page', async () => {
    const first = await c.batch.send(
      new ListJobsCommand({ jobQueue: 'q', filters: [{ name: 'JOB_NAME', values: ['even-2*'] }] }),
    );
    expect(first.jobSummaryList).toHaveLength(100);
    const names = first.jobSummaryList?.map((j) => j.jobName ?? '') ?? [];
    expect(names.every((n) => n.startsWith('Even-2'))).toBe(true);
    const created = first.jobSummaryList?.map((j) => j.createdAt ?? 0) ?? [];
    expect([...created].sort((a, b) => b - a)).toEqual(created);
    let total = names.length;
    let token = first.nextToken;
    while (token) {
      const next = await c.batch.send(
        new ListJobsCommand({
          jobQueue: 'q',
          nextToken: token,
          filters: [{ name: 'JOB_NAME', values: ['even-2*'] }],
        }),
      );
      total += next.jobSummaryList?.length ?? 0;
      token = next.nextToken;
    }
    // Even-2-*, Even-20..24-*: 6 batches × 50 even jobs.
    expect(total).toBe(300);
    const exact = await c.batch.send(
      new ListJobsCommand({ jobQueue: 'q', filters: [{ name: 'JOB_NAME', values: ['EVEN-3-4'] }] }),
    );
    expect(exact.jobSummaryList?.map((j) => j.jobName)).toEqual(['Even-3-4']);
  });

  it('refuses page sizes above the documented maxima', async () => {
    await expect(
      c.batch.send(new ListJobsCommand({ jobQueue: 'q', jobStatus: 'RUNNABLE', maxResults: 1001 })),
    ).rejects.toMatchObject({ name: 'ClientException' });
    await expect(
      c.batch.send(
        new ListJobsCommand({
          jobQueue: 'q',
          maxResults: 101,
          filters: [{ name: 'JOB_NAME', values: ['x*'] }],
        }),
      ),
    ).rejects.toMatchObject({ name: 'ClientException' });
  });
});

describe('DescribeJobs', () => {
  it('takes at most 100 ids and leaves unknown ids out silently', async () => {
    await expect(
      c.batch.send(new DescribeJobsCommand({ jobs: held.slice(0, 101) })),
    ).rejects.toMatchObject({ name: 'ClientException', $metadata: { httpStatusCode: 400 } });
    const out = await c.batch.send(
      new DescribeJobsCommand({ jobs: [held[0] ?? '', '00000000-0000-0000-0000-000000000000'] }),
    );
    expect(out.jobs?.map((j) => j.jobId)).toEqual([held[0]]);
  });

  it('forgets jobs on request', async () => {
    server.forget({ ids: [held[1] ?? ''] });
    const gone = await c.batch.send(new DescribeJobsCommand({ jobs: [held[1] ?? ''] }));
    expect(gone.jobs).toEqual([]);
  });
});

describe('once the held jobs are gone', () => {
  beforeAll(() => {
    // Released, 2,500 queued jobs would run first (FIFO), as they would on AWS.
    server.forget({ ids: held });
    server.setCapacityWait({ enabled: false });
  });

  it('answers a JOB_NAME match in every status, including finished jobs', async () => {
    const { jobId } = await c.batch.send(
      new SubmitJobCommand({ jobName: 'reconcile-me', jobQueue: 'q', jobDefinition: 'jd' }),
    );
    await waitForJob(c, jobId!);
    const out = await c.batch.send(
      new ListJobsCommand({
        jobQueue: 'q',
        filters: [{ name: 'JOB_NAME', values: ['reconcile-me'] }],
      }),
    );
    expect(out.jobSummaryList?.map((j) => [j.jobId, j.status])).toEqual([[jobId, 'SUCCEEDED']]);
  });

  it('forgets finished jobs after the retention', async () => {
    server.setRetention({ finishedMs: 100 });
    const { jobId } = await c.batch.send(
      new SubmitJobCommand({ jobName: 'short-lived', jobQueue: 'q', jobDefinition: 'jd' }),
    );
    await waitForJob(c, jobId!);
    await pollUntil(
      () => c.batch.send(new DescribeJobsCommand({ jobs: [jobId!] })),
      (out) => out.jobs?.length === 0,
    );
    server.setRetention({ finishedMs: null });
  });
});
