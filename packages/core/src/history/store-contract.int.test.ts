import { describe } from 'vitest';
import { deliveryLeadershipContract } from '../notifications/delivery-leadership.contract';
import { notificationOutboxContract } from '../notifications/notification-outbox.contract';
import { arrayRowsContract } from './array-rows.contract';
import { efficiencySummaryContract } from './efficiency-summary.contract';
import { jobStoreContract } from './job-store.contract';
import { jobSearchContract } from './job-search.contract';
import { listJobsContract } from './list-jobs.contract';
import { queueStoreContract } from './queue-store.contract';
import { releaseSubmissionContract } from './release-submission.contract';

// The store contract on PostgreSQL (the project's test server, testbed/pg-up.sh),
// a fresh schema per test; each `*.test.ts` beside runs the same tests on SQLite.
describe('on PostgreSQL', () => {
  describe('job store', () => jobStoreContract('postgres'));
  describe('queue store', () => queueStoreContract('postgres'));
  describe('listJobs', () => listJobsContract('postgres'));
  describe('job search', () => jobSearchContract('postgres'));
  describe('array rows', () => arrayRowsContract('postgres'));
  describe('efficiency summary', () => efficiencySummaryContract('postgres'));
  describe('releaseSubmission', () => releaseSubmissionContract('postgres'));
  describe('notification outbox', () => notificationOutboxContract('postgres'));
  describe('delivery leadership', () => deliveryLeadershipContract('postgres'));
});
