import {
  DescribeJobQueuesCommand,
  DescribeJobsCommand,
  ListJobsCommand,
  TerminateJobCommand,
  type BatchClient,
  type JobDetail,
  type JobSummary,
  type ListJobsCommandInput,
} from '@aws-sdk/client-batch';
import type {
  Backend,
  CancelOutcome,
  FinalReport,
  JobLogs,
  ObservedJob,
  SubmitOutcome,
  SubmitSpec,
} from '../backend';
import type { ConnectionInfo } from '../../domain/connection';
import type { Clock } from '../../runtime/clock';
import { CoreError } from '../../runtime/errors';
import { AWS_FIND_BY_TAGS_LAG_MS, describeAwsAccess, type AwsAccess } from '../aws/aws-access';
import { ConnectionTracker } from '../aws/connection-tracker';
import { chunks, mapBounded } from '../aws/map-bounded';
import { RateLimiter } from '../aws/rate-limiter';
import { isArrayParent, listArrayTasks, parentIdOf } from './batch-array-tasks';
import { batchFinalReportOf, CANCEL_REASON_PREFIX } from './batch-final-report';
import { batchNameTag, isJobNameOfTag } from './batch-job-name';
import { batchObservedJobOf, batchObservedSummaryOf } from './batch-observed-job';
import { LIVE_BATCH_STATUSES } from './batch-state';
import { submitJobInput } from './submit-job-input';
import { submitBatchJob, type SubmitAttempt } from './submit-batch-job';

export interface BatchBackendOptions {
  /** Reads and cancels: bounded SDK retries. */
  client: BatchClient;
  /** SubmitJob only: no SDK retries (see awsSubmitClientConfig). */
  submitClient: BatchClient;
  access: AwsAccess;
  jobQueue: string;
  jobDefinition: string | null;
  retryAttempts: number;
  logGroup: string;
  /** Owner recorded on submitted jobs (`scripthut:user`) and named in cancel reasons. */
  user: string;
  clock: Clock;
  logs: JobLogs;
  /** Client-side cap under the account's 50 TPS Batch quota (SubmitJob and lookups by name). */
  submitsPerSecond?: number;
  submitConcurrency?: number;
  /** Tries of a throttled SubmitJob (certainly not taken, so safe to send again) before it is `notSubmitted`. */
  throttledSubmitTries?: number;
  /** Default AWS_FIND_BY_TAGS_LAG_MS. */
  findByTagsLagMs?: number;
}

const DESCRIBE_BATCH = 100;
const LIST_PAGE = 1000;
const FILTER_PAGE = 100;
/** Pages of one name lookup: a tag prefix matches one job, more pages mean a misuse of names. */
const MAX_FILTER_PAGES = 5;

/** An AWS Batch job queue as a ScriptHut backend (see README.md in this folder). */
export class BatchBackend implements Backend {
  readonly kind = 'batch' as const;
  readonly logs: JobLogs;
  readonly findByTagsLagMs: number;
  private readonly tracker: ConnectionTracker;
  private readonly limiter: RateLimiter;
  /** True once DescribeJobQueues found the queue; checked again after any connection problem. */
  private queueChecked = false;

  constructor(private readonly o: BatchBackendOptions) {
    this.tracker = new ConnectionTracker('AWS Batch', o.access);
    this.limiter = new RateLimiter(o.submitsPerSecond ?? 40, o.clock);
    this.logs = o.logs;
    this.findByTagsLagMs = o.findByTagsLagMs ?? AWS_FIND_BY_TAGS_LAG_MS;
  }

  connection(): ConnectionInfo {
    return this.tracker.current();
  }

  async listJobs(signal?: AbortSignal): Promise<ObservedJob[]> {
    await this.checkQueue(signal);
    const pages = await Promise.all(
      LIVE_BATCH_STATUSES.map((status) =>
        this.listAll(
          { jobQueue: this.o.jobQueue, jobStatus: status, maxResults: LIST_PAGE },
          signal,
        ),
      ),
    );
    const summaries = new Map<string, JobSummary>();
    // Array children (`<id>:<index>`) are listed through their parent, below.
    for (const s of pages.flat())
      if (s.jobId !== undefined && s.arrayProperties?.index === undefined)
        summaries.set(s.jobId, s);
    const details = await this.describe([...summaries.keys()], signal);
    const context = {
      jobQueue: this.o.jobQueue,
      logGroup: this.o.logGroup,
      nowMs: this.o.clock.now().getTime(),
    };
    const jobs: ObservedJob[] = [];
    const arrays: JobDetail[] = [];
    for (const [id, summary] of summaries) {
      const d = details.get(id);
      // An array parent stands for its children (see batch-array-tasks.ts); one gone meanwhile has ended.
      if (d !== undefined && isArrayParent(d)) arrays.push(d);
      else if (d === undefined && summary.arrayProperties?.size !== undefined) continue;
      else if (d === undefined) jobs.push(batchObservedSummaryOf(summary, context));
      // Finished between the two calls: the monitor asks finalReports for it.
      else if (d.status !== 'SUCCEEDED' && d.status !== 'FAILED')
        jobs.push(batchObservedJobOf(d, context));
    }
    const tasks = await mapBounded(arrays, 4, (parent) =>
      listArrayTasks(parent, (input) => this.listAll(input, signal), context),
    );
    return [...jobs, ...tasks.flat()];
  }

  async finalReports(
    ids: readonly string[],
    signal?: AbortSignal,
  ): Promise<Map<string, FinalReport>> {
    const details = await this.describe(ids, signal);
    const out = new Map<string, FinalReport>();
    for (const d of details.values()) {
      const report = batchFinalReportOf(d, this.o.logGroup);
      if (report !== null) out.set(report.schedulerJobId, report);
    }
    return out;
  }

  async submitMany(
    specs: readonly SubmitSpec[],
    signal?: AbortSignal,
  ): Promise<Map<string, SubmitOutcome>> {
    const out = new Map<string, SubmitOutcome>();
    let stopped: string | null = null;
    const outcomes = await mapBounded(
      specs,
      this.o.submitConcurrency ?? 8,
      async (spec): Promise<SubmitOutcome> => {
        if (stopped === null && signal?.aborted)
          stopped = 'the submission was abandoned before this task was sent';
        if (stopped !== null) return { kind: 'notSubmitted', message: stopped };
        const { outcome, fatal } = await this.submitOne(spec, signal);
        // Credentials, permissions, the network: every later spec would fail the same way.
        if (fatal && outcome.kind === 'notSubmitted')
          stopped ??= `not sent after an earlier task could not be: ${outcome.message}`;
        return outcome;
      },
    );
    specs.forEach((spec, i) => out.set(spec.tag, outcomes[i]!));
    return out;
  }

  async cancel(ids: readonly string[]): Promise<CancelOutcome[]> {
    const reason = `${CANCEL_REASON_PREFIX}${this.o.user}`;
    return mapBounded(ids, 8, async (jobId): Promise<CancelOutcome> => {
      // The tasks of an array not created yet are its parent's to stop.
      const target = jobId.endsWith(']') ? (parentIdOf(jobId) ?? jobId) : jobId;
      try {
        // TerminateJob cancels a job that has not started and stops a running one; on an
        // array parent, every child.
        await this.tracker.call('batch:TerminateJob', () =>
          this.o.client.send(new TerminateJobCommand({ jobId: target, reason })),
        );
        return { schedulerJobId: jobId, ok: true, message: null };
      } catch (e) {
        return {
          schedulerJobId: jobId,
          ok: false,
          message: e instanceof Error ? e.message : String(e),
        };
      }
    });
  }

  async findByTags(tags: readonly string[]): Promise<Map<string, string>> {
    const found = await mapBounded(tags, 4, async (tag) => {
      await this.limiter.take();
      // A name filter returns jobs in every status, newest first.
      const jobs = await this.listAll(
        {
          jobQueue: this.o.jobQueue,
          filters: [{ name: 'JOB_NAME', values: [`${batchNameTag(tag)}*`] }],
          maxResults: FILTER_PAGE,
        },
        undefined,
        MAX_FILTER_PAGES,
      );
      return (
        jobs.find(
          (j) => j.jobName !== undefined && j.jobId !== undefined && isJobNameOfTag(j.jobName, tag),
        )?.jobId ?? null
      );
    });
    const out = new Map<string, string>();
    tags.forEach((tag, i) => {
      const id = found[i];
      if (id) out.set(tag, id);
    });
    return out;
  }

  /** The job details of `ids` (absent: AWS does not know the id), in calls of 100. */
  async describe(ids: readonly string[], signal?: AbortSignal): Promise<Map<string, JobDetail>> {
    const out = new Map<string, JobDetail>();
    const batches = chunks([...new Set(ids)], DESCRIBE_BATCH);
    await mapBounded(batches, 4, async (jobs) => {
      const answer = await this.tracker.call('batch:DescribeJobs', () =>
        this.o.client.send(
          new DescribeJobsCommand({ jobs }),
          signal ? { abortSignal: signal } : {},
        ),
      );
      for (const d of answer.jobs ?? []) if (d.jobId !== undefined) out.set(d.jobId, d);
    });
    return out;
  }

  private async submitOne(spec: SubmitSpec, signal?: AbortSignal): Promise<SubmitAttempt> {
    if (this.o.jobDefinition === null) {
      const error =
        'this cluster has no job_definition: set one in its configuration to submit tasks';
      return { outcome: { kind: 'rejected', error }, fatal: false };
    }
    const built = submitJobInput(spec, {
      jobQueue: this.o.jobQueue,
      jobDefinition: this.o.jobDefinition,
      retryAttempts: this.o.retryAttempts,
      user: this.o.user,
    });
    if (!built.ok) return { outcome: { kind: 'rejected', error: built.error }, fatal: false };
    return submitBatchJob(
      built.input,
      {
        client: this.o.submitClient,
        tracker: this.tracker,
        limiter: this.limiter,
        clock: this.o.clock,
        throttledTries: this.o.throttledSubmitTries ?? 6,
      },
      signal,
    );
  }

  /** Every page of a ListJobs query (`maxPages` bounds name lookups). */
  private async listAll(
    input: ListJobsCommandInput,
    signal?: AbortSignal,
    maxPages = Number.POSITIVE_INFINITY,
  ): Promise<JobSummary[]> {
    const out: JobSummary[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < maxPages; page++) {
      const answer = await this.tracker.call('batch:ListJobs', () =>
        this.o.client.send(
          new ListJobsCommand({ ...input, ...(nextToken !== undefined ? { nextToken } : {}) }),
          signal ? { abortSignal: signal } : {},
        ),
      );
      out.push(...(answer.jobSummaryList ?? []));
      nextToken = answer.nextToken ?? undefined;
      if (nextToken === undefined || nextToken === '') break;
    }
    return out;
  }

  /** A job queue that does not exist answers ListJobs like an empty one would, so ask once. */
  private async checkQueue(signal?: AbortSignal): Promise<void> {
    if (this.queueChecked && this.tracker.current().state === 'connected') return;
    const answer = await this.tracker.call('batch:DescribeJobQueues', () =>
      this.o.client.send(
        new DescribeJobQueuesCommand({ jobQueues: [this.o.jobQueue] }),
        signal ? { abortSignal: signal } : {},
      ),
    );
    if ((answer.jobQueues ?? []).length === 0) {
      const message = `job queue ${this.o.jobQueue} not found in ${describeAwsAccess(this.o.access)}: check aws.job_queue and aws.region (aws batch describe-job-queues --region ${this.o.access.region} lists the queues)`;
      this.tracker.set({ state: 'unreachable', lastError: message });
      this.queueChecked = false;
      throw new CoreError('CLUSTER_UNAVAILABLE', message);
    }
    this.queueChecked = true;
  }
}
