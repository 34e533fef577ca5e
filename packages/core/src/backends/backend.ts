import type { JobOutcome, JobState } from '../domain/job';
import type { ClusterKind } from '../domain/cluster';

/** One job as the scheduler's live queue shows it (squeue for Slurm). */
export interface ObservedJob {
  schedulerJobId: string;
  name: string;
  user: string;
  /** Raw state text (`PENDING`, `RUNNING`, `COMPLETING`…). */
  rawState: string;
  state: JobState;
  /** Pending reason, or null when the scheduler gives none (`None`). */
  reason: string | null;
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
  stdoutPath: string | null;
  stderrPath: string | null;
}

/** How a job ended, according to accounting (sacct for Slurm). */
export interface FinalReport {
  schedulerJobId: string;
  rawState: string;
  outcome: JobOutcome;
  exitCode: number | null;
  signal: number | null;
  cancelledBy: string | null;
  reason: string | null;
  startTime: string | null;
  finishTime: string | null;
  elapsed: string | null;
}

/** A job to submit; everything in it is data and is quoted before it reaches a shell. */
export interface SubmitSpec {
  /** Opaque tag that identifies this submission so a crash between submit and record can be recovered. */
  tag: string;
  name: string;
  command: string;
  workingDir: string;
  partition: string | null;
  cpus: number;
  memory: string;
  timeLimit: string;
  account: string | null;
  stdoutPath: string;
  stderrPath: string;
}

export type SubmitResult =
  | { ok: true; schedulerJobId: string; warnings: string | null }
  | { ok: false; error: string };

/** One spec's answer from Backend.submitMany. */
export type SubmitManyResult =
  | { kind: 'ok'; schedulerJobId: string; warnings: string | null }
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

/**
 * A scheduler, peer of every other. Nothing here assumes SSH: Slurm uses a
 * CommandRunner, the local backend uses processes, AWS backends use the SDK.
 */
export interface Backend {
  readonly kind: ClusterKind;
  /** All jobs in the live queue, every user. Rejects when the scheduler could not be asked. */
  listJobs(signal?: AbortSignal): Promise<ObservedJob[]>;
  /**
   * Final states for jobs that left the live queue. Ids accounting does not
   * know are simply absent from the result; one unknown id never fails the call.
   */
  finalReports(schedulerJobIds: readonly string[], signal?: AbortSignal): Promise<Map<string, FinalReport>>;
  /**
   * Resolves with the scheduler's answer. Throws when there is none: a
   * CoreError whose `details.submitted` is `false` (or, from a
   * CommandRunner, `details.started` is `false`) means nothing was queued
   * and the spec may be submitted again; any other throw leaves the outcome
   * unknown (the job may exist: look it up by tag).
   */
  submit(spec: SubmitSpec, signal?: AbortSignal): Promise<SubmitResult>;
  /**
   * Optional bulk submit, with fewer round trips than one submit per spec.
   * Resolves with an entry for every spec's tag. Each spec is classified as
   * `submit` would classify it; a spec whose answer was lost is `uncertain`.
   */
  submitMany?(specs: readonly SubmitSpec[], signal?: AbortSignal): Promise<Map<string, SubmitManyResult>>;
  cancel(schedulerJobIds: readonly string[]): Promise<CancelOutcome[]>;
  /**
   * Scheduler job ids of earlier submissions, by their tags (tag -> id); tags
   * with no job are absent. Used after a crash between submit and record.
   */
  findByTags?(tags: readonly string[]): Promise<Map<string, string>>;
}
