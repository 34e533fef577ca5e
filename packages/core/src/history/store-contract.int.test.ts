import { describe } from 'vitest';
import { arrayRowsContract } from './array-rows.contract';
import { efficiencySummaryContract } from './efficiency-summary.contract';
import { jobSearchContract } from './job-search.contract';
import { listJobsContract } from './list-jobs.contract';
import { queueStoreContract } from './queue-store.contract';
import { releaseSubmissionContract } from './release-submission.contract';

// The store contract on PostgreSQL (the project's test server, testbed/pg-up.sh),
// a fresh schema per test; each `*.test.ts` beside runs the same tests on SQLite.
describe('on PostgreSQL', () => {
  describe('queue store', () => queueStoreContract('postgres'));
  describe('listJobs', () => listJobsContract('postgres'));
  describe('job search', () => jobSearchContract('postgres'));
  describe('array rows', () => arrayRowsContract('postgres'));
  describe('efficiency summary', () => efficiencySummaryContract('postgres'));
  describe('releaseSubmission', () => releaseSubmissionContract('postgres'));
});
