import type { ConnectionInfo } from '../domain/connection';
import type { JobOutcome, JobState } from '../domain/job';
import type { ClusterKind } from '../domain/cluster';
import type { JobEfficiency } from '../domain/efficiency';
import type { Clock } from '../runtime/clock';

/** One job as the scheduler's live queue shows it (squeue, ListJobs, ListTasks). */
export interface ObservedJob {
  schedulerJobId: string;
  name: string;
  user: string;
  /** Raw state text (`PENDING`, `RUNNING`, `RUNNABLE`, `PROVISIONING`…). */
  rawState: string;
  state: JobState;
  /** Pending reason, or null when the scheduler gives none (`None`). */
  reason: string | null;
  /** Where the job waits or runs in the scheduler's terms: a Slurm partition, a Batch job queue. */
  partition: string | null;
  cpus: number | null;
  memory: string | null;
  nodes: string | null;
  timeUsed: string | null;
  timeLimit: string | null;
  submitTime: string | null;
  startTime: string | null;
  workDir: string | null;
  command: string | null;
  /**
   * Where the output log is, in the backend's own terms: a file path (pattern,
   * for Slurm) or `<log group>:<log stream>` for CloudWatch. Only the backend
   * that produced it reads it (see JobLogs).
   */
  stdoutPath: string | null;
  stderrPath: string | null;
  /**
   * For a task of a scheduler array, or a pending range of its tasks: the
   * array's own id (Slurm `123` for `123_7` and `123_[5-20%4]`). Absent or
   * null outside arrays.
   */
  arrayJobId?: string | null;
  /** How many tasks the record stands for: 1 for a task, the size of a pending range. */
  arrayTasks?: number | null;
}

/** How a job ended, according to accounting (sacct, DescribeJobs, DescribeTasks). */
export interface FinalReport {
  schedulerJobId: string;
  rawState: string;
  outcome: JobOutcome;
  exitCode: number | null;
  signal: number | null;
  cancelledBy: string | null;
  /** The scheduler's own words for why it ended this way (shown as they are). */
  reason: string | null;
  /**
   * When the scheduler took the job, when accounting knows it. It replaces
   * the submit time ScriptHut recorded after the submission returned, which
   * can be later than a quick job's start.
   */
  submitTime?: string | null;
  startTime: string | null;
  finishTime: string | null;
  elapsed: string | null;
  /** Where its logs are, when only accounting knows (an AWS job that ended between two polls). */
  stdoutPath?: string | null;
  /** What it used of what it asked, when accounting keeps it (Slurm). */
  efficiency?: JobEfficiency | null;
}

/**
 * A job to submit; everything in it is data and is quoted before it reaches a
 * shell. Resource values are in the task's own formats (`memory` `4G`/`512M`,
 * `timeLimit` a Slurm-style duration); see `domain/resources.ts` to convert.
 */
export interface SubmitSpec {
  /** Opaque tag that identifies this submission so a crash between submit and record can be recovered. */
  tag: string;
  name: string;
  command: string;
  /** Null: the backend's default (a container image's working directory). */
  workingDir: string | null;
  cpus: number;
  memory: string;
  timeLimit: string;
  /** Slurm partition or Batch job queue; null: the cluster's default. */
  partition: string | null;
  account: string | null;
  /** Files the job writes its output to; null where the backend keeps logs itself (CloudWatch). */
  stdoutPath: string | null;
  stderrPath: string | null;
}

/** One spec's answer from a submission: the one encoding for submit and submitMany. */
export type SubmitOutcome =
  | { kind: 'submitted'; schedulerJobId: string; warnings: string | null }
  /** The scheduler refused this spec for good (bad partition, memory over the limit). */
  | { kind: 'rejected'; error: string }
  /** Nothing was queued for this spec: it may be submitted again. */
  | { kind: 'notSubmitted'; message: string }
  /** The job may exist: look it up by tag before ever submitting it again. */
  | { kind: 'uncertain'; message: string };

export interface CancelOutcome {
  schedulerJobId: string;
  ok: boolean;
  message: string | null;
}

export type LogKind = 'output' | 'error';

/** The part of a job a backend needs to find its logs (a stored Job has all of it). */
export interface LogSubject {
  schedulerJobId: string | null;
  name: string;
  user: string;
  nodes: string | null;
  /** True when ScriptHut submitted it (its log location is ScriptHut's own, not the job owner's choice). */
  submittedByScripthut: boolean;
  stdoutPath: string | null;
  stderrPath: string | null;
  /** The job's state is final or finishing: no more output will come. */
  finished: () => boolean | Promise<boolean>;
}

export type LogRead =
  | {
      available: true;
      /** The location read (a path, `group:stream`). */
      location: string;
      /** False: the file/stream does not exist (yet); distinct from an empty one. */
      exists: boolean;
      content: string;
      /** Where a follow continues after `content` (pass it as `from`); null when it cannot continue. */
      cursor: string | null;
    }
  /** Why there is no log to show, in words (no output file reported, stderr merged into stdout…). */
  | { available: false; reason: string };

/** One step of a followed log. `data` carries text appended since the previous step. */
export type LogChunk =
  | {
      kind: 'data';
      /** Byte offset of `text` in a file; for streams, the number of bytes delivered before it. */
      offset: number;
      text: string;
      /** Resume position after this chunk. */
      cursor: string;
    }
  | { kind: 'waiting'; reason: string }
  | { kind: 'end'; reason: string };

/** Logs as a backend capability: every kind reads its own (files over a runner, CloudWatch…). */
export interface JobLogs {
  /** The last `lines` lines. */
  tail(job: LogSubject, kind: LogKind, lines: number, signal?: AbortSignal): Promise<LogRead>;
  /** The whole log, up to LOG_LIMITS.downloadBytes (OUTPUT_TOO_LARGE beyond). */
  download(job: LogSubject, kind: LogKind, signal?: AbortSignal): Promise<LogRead>;
  /**
   * Appended text as it is written, from `from` (a cursor of an earlier
   * read or chunk; null: the start). Ends once the job has finished and a
   * read after that found nothing new, or when `signal` aborts.
   */
  follow(
    job: LogSubject,
    kind: LogKind,
    o: { clock: Clock; from: string | null; signal?: AbortSignal },
  ): AsyncGenerator<LogChunk>;
}

/**
 * A scheduler, peer of every other. Nothing here assumes SSH or a shell:
 * Slurm uses a CommandRunner, the local backend uses processes, AWS
 * backends use the SDK. Every implementation passes the contract suite in
 * `backends/contract/`.
 */
export interface Backend {
  readonly kind: ClusterKind;
  /** All jobs in the live queue, every user. Rejects when the scheduler could not be asked. */
  listJobs(signal?: AbortSignal): Promise<ObservedJob[]>;
  /**
   * Final states for jobs that left the live queue. Ids accounting does not
   * know are simply absent from the result; one unknown id never fails the call.
   */
  finalReports(
    schedulerJobIds: readonly string[],
    signal?: AbortSignal,
  ): Promise<Map<string, FinalReport>>;
  /**
   * Submits every spec, in order, with as few round trips as the backend can,
   * and resolves with an outcome for every spec's tag. Never rejects for a
   * scheduler's answer: an answer that was lost is `uncertain`, a call that
   * certainly sent nothing is `notSubmitted`. A rejection of the promise is
   * treated as `uncertain` for every spec. `submitEach` builds this from a
   * one-spec submit.
   */
  submitMany(
    specs: readonly SubmitSpec[],
    signal?: AbortSignal,
  ): Promise<Map<string, SubmitOutcome>>;
  cancel(schedulerJobIds: readonly string[]): Promise<CancelOutcome[]>;
  /**
   * Scheduler job ids of earlier submissions, by their tags (tag -> id); tags
   * with no job are absent. Used after a crash between submit and record.
   * Rejects when the scheduler could not be asked.
   */
  findByTags(tags: readonly string[]): Promise<Map<string, string>>;
  /**
   * How long after a submit call a job it created may still be missing from
   * findByTags: the scheduler may still be taking a request whose sender has
   * died, or list the new job only later. A submission a restart finds open
   * and cannot find is submitted again only after this long. Absent: 0 (the
   * job is listed by the time the submit call could have returned).
   */
  readonly findByTagsLagMs?: number;
  /** Absent: this kind keeps no logs ScriptHut can read. */
  readonly logs?: JobLogs;
  /**
   * The connection as the backend last found it (SSH state, AWS credentials
   * and permissions), each problem with how to fix it. Absent: always connected.
   */
  connection?(): ConnectionInfo;
}

/**
 * submitMany from a one-spec submit: specs go one at a time, in order; after
 * the first `notSubmitted` (the scheduler is unreachable) the rest are not
 * tried and are `notSubmitted` too. A throw of `submitOne` is `uncertain`.
 */
export async function submitEach(
  specs: readonly SubmitSpec[],
  submitOne: (spec: SubmitSpec) => Promise<SubmitOutcome>,
  signal?: AbortSignal,
): Promise<Map<string, SubmitOutcome>> {
  const out = new Map<string, SubmitOutcome>();
  let stopped: string | null = null;
  for (const spec of specs) {
    if (stopped === null && signal?.aborted)
      stopped = 'the submission was abandoned before this task was sent';
    if (stopped !== null) {
      out.set(spec.tag, { kind: 'notSubmitted', message: stopped });
      continue;
    }
    let outcome: SubmitOutcome;
    try {
      outcome = await submitOne(spec);
    } catch (e) {
      outcome = { kind: 'uncertain', message: e instanceof Error ? e.message : String(e) };
    }
    out.set(spec.tag, outcome);
    if (outcome.kind === 'notSubmitted')
      stopped = `not sent after an earlier task could not be: ${outcome.message}`;
  }
  return out;
}
