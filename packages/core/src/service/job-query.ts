import { z } from 'zod';
import { JobSource, JobState } from '../domain/job';
import { JobSortField } from '../history/types';

/**
 * Filters, sort and page for job lists as the API accepts them: the store's
 * query (history/types.ts) with strict keys and bounded sizes.
 */
export const JobQuery = z.strictObject({
  cluster: z.string().max(64).optional(),
  states: z.array(JobState).max(10).optional(),
  user: z.string().max(64).optional(),
  /** "My jobs": the jobs of any of these (cluster, user) pairs; empty matches nothing. */
  owners: z
    .array(z.strictObject({ cluster: z.string().max(64), user: z.string().max(64) }))
    .max(64)
    .optional(),
  queueId: z.string().max(64).optional(),
  source: JobSource.optional(),
  text: z.string().max(200).optional(),
  /** See ListJobsQuery: `grouped` shows an array as one row, `tasks` every task; `arrayId` one array's tasks. */
  arrays: z.enum(['grouped', 'tasks']).default('grouped'),
  arrayId: z.string().max(300).optional(),
  sort: z
    .strictObject({ field: JobSortField, dir: z.enum(['asc', 'desc']) })
    .default({ field: 'submitTime', dir: 'desc' }),
  limit: z.number().int().min(1).max(20_000).default(500),
  offset: z.number().int().min(0).max(10_000_000).default(0),
});
export type JobQuery = z.input<typeof JobQuery>;
export type ResolvedJobQuery = z.output<typeof JobQuery>;

/** The filters of JobQuery, for counts by cluster and state (which count every state). */
export const JobCountQuery = JobQuery.omit({ states: true, sort: true, limit: true, offset: true });
export type JobCountQuery = z.input<typeof JobCountQuery>;
