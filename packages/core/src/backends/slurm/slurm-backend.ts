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
import { FileLogs } from '../file-logs/file-logs';
import { shellQuote, type CommandResult, type CommandRunner } from '../../runtime/command-runner';
import { CoreError, isCoreError } from '../../runtime/errors';
import {
  isSlurmJobId,
  sacctCommand,
  sbatchCommand,
  scancelCommand,
  squeueCommand,
} from './commands';
import { SCRIPTHUT_COMMENT_PREFIX } from './parse-squeue';
import { parseSacct } from './parse-sacct';
import { parseSbatchOutput, toSubmitOutcome } from './parse-sbatch-output';
import { parseScancelOutput } from './parse-scancel-output';
import { parseSqueue } from './parse-squeue';
import { newRecordSeparator } from './record-separator';
import { resolveFinalReports } from './resolve-final-reports';
import { slurmLogPath } from './slurm-log-path';
import { submitMany } from './submit-many';

export interface SlurmBackendOptions {
  /** Renders the batch script for a submission (renderJobScript). */
  renderScript: (spec: SubmitSpec) => string;
  /** squeue/sacct/scancel time limit. */
  queryTimeoutMs?: number;
  /** sbatch retries forever while slurmctld is full; this bounds it. */
  submitTimeoutMs?: number;
  /** Upper bound on ids per sacct call (command-line length). */
  maxIdsPerSacct?: number;
  /** The SSH connection's state. */
  connection?: () => ConnectionInfo;
}

const MAX_QUEUE_OUTPUT_BYTES = 256 * 1024 * 1024;

/** Slurm through any CommandRunner (an SSH connection to a login node). */
export class SlurmBackend implements Backend {
  readonly kind = 'slurm' as const;
  /** uid -> login name on the cluster. */
  private readonly userNames = new Map<string, string>();
  /** Output files on the cluster, read over the same runner; `%j`-style patterns filled as sbatch does. */
  readonly logs: JobLogs;

  constructor(
    private readonly runner: CommandRunner,
    private readonly o: SlurmBackendOptions,
  ) {
    this.logs = new FileLogs(runner, slurmLogPath);
  }

  connection(): ConnectionInfo {
    return this.o.connection?.() ?? { state: 'connected', lastError: null };
  }

  /**
   * Live jobs plus those that ended within MinJobAge, so a job that starts
   * and ends between two polls is still seen (and then settled by sacct).
   */
  async listJobs(signal?: AbortSignal): Promise<ObservedJob[]> {
    const separator = newRecordSeparator();
    const result = await this.query(squeueCommand(separator, { includeFinished: true }), signal);
    requireSuccess(result, 'squeue');
    return parseSqueue(result.stdout);
  }

  /** Ids that are not Slurm job ids cannot be in accounting: they are absent, as unknown ones are. */
  async finalReports(
    all: readonly string[],
    signal?: AbortSignal,
  ): Promise<Map<string, FinalReport>> {
    const ids = all.filter(isSlurmJobId);
    const reports = new Map<string, FinalReport>();
    const chunk = this.o.maxIdsPerSacct ?? 2_000;
    for (let i = 0; i < ids.length; i += chunk) {
      const separator = newRecordSeparator();
      const result = await this.query(sacctCommand(ids.slice(i, i + chunk), separator), signal);
      requireSuccess(result, 'sacct');
      for (const [id, report] of resolveFinalReports(parseSacct(result.stdout)))
        reports.set(id, report);
    }
    await this.nameCancellers(reports);
    const wanted = new Map<string, FinalReport>();
    for (const id of ids) {
      // Accounting keeps a pending range under the name it had when its array
      // was submitted or last split (`N_[3-6%4]`), while squeue shows what is
      // left of it (`N_[4,6%4]`), or, when no task ever started, the bare `N`.
      const range = id.indexOf('_[');
      const prefix = `${range === -1 ? id : id.slice(0, range)}_[`;
      const report = reports.get(id) ?? [...reports].find(([key]) => key.startsWith(prefix))?.[1];
      if (report) wanted.set(id, { ...report, schedulerJobId: id });
    }
    return wanted;
  }

  /**
   * One sbatch. A refusal (bad partition, memory over the limit) is
   * `rejected`; a busy controller or a lost answer `uncertain` (look the tag
   * up); a controller sbatch could not reach, or a command that never
   * started, `notSubmitted`.
   */
  async submit(spec: SubmitSpec, signal?: AbortSignal): Promise<SubmitOutcome> {
    // The tag also goes on the command line: sacct keeps SubmitLine, but not
    // Comment unless the site sets AccountingStoreFlags=job_comment.
    const command = `${sbatchCommand()} --comment=${shellQuote(SCRIPTHUT_COMMENT_PREFIX + spec.tag)}`;
    try {
      const result = await this.runner.run(command, {
        stdin: this.o.renderScript(spec),
        timeoutMs: this.o.submitTimeoutMs ?? 60_000,
        ...(signal ? { signal } : {}),
      });
      return toSubmitOutcome(parseSbatchOutput(result));
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      return isCoreError(e) && e.details?.started === false
        ? { kind: 'notSubmitted', message }
        : { kind: 'uncertain', message };
    }
  }

  /** One exec per up to 200 jobs (512 KB), each job classified as submit() would; see submitMany. */
  submitMany(
    specs: readonly SubmitSpec[],
    signal?: AbortSignal,
  ): Promise<Map<string, SubmitOutcome>> {
    return submitMany(
      this.runner,
      specs,
      { renderScript: this.o.renderScript, perJobTimeoutMs: this.o.submitTimeoutMs ?? 60_000 },
      signal,
    );
  }

  async cancel(ids: readonly string[]): Promise<CancelOutcome[]> {
    if (ids.length === 0) return [];
    const result = await this.query(scancelCommand(ids));
    return parseScancelOutput(ids, result);
  }

  /**
   * Scheduler job ids of submissions carrying these tags: squeue's Comment
   * for jobs slurmctld still holds, then the SSH user's accounting records of
   * the last `lookbackDays` (SubmitLine) for the rest.
   */
  async findByTags(tags: readonly string[], lookbackDays = 7): Promise<Map<string, string>> {
    const wanted = new Set(tags);
    const found = new Map<string, string>();
    const separator = newRecordSeparator();
    const live = await this.query(squeueCommand(separator, { includeFinished: true }));
    requireSuccess(live, 'squeue');
    for (const job of parseSqueue(live.stdout)) {
      if (job.tag !== null && wanted.has(job.tag)) found.set(job.tag, job.schedulerJobId);
    }
    if (found.size === wanted.size) return found;
    const past = await this.query(
      `TZ=UTC sacct --noheader --parsable2 --allocations --starttime=now-${Math.max(1, Math.floor(lookbackDays))}days --format=JobIDRaw,SubmitLine`,
    );
    requireSuccess(past, 'sacct');
    const tagged = new RegExp(`--comment='?${SCRIPTHUT_COMMENT_PREFIX}([A-Za-z0-9_-]+)`);
    for (const line of past.stdout.split('\n')) {
      const bar = line.indexOf('|');
      const tag = tagged.exec(line.slice(bar + 1))?.[1];
      if (bar > 0 && tag !== undefined && wanted.has(tag) && !found.has(tag))
        found.set(tag, line.slice(0, bar));
    }
    return found;
  }

  /** sacct says `CANCELLED by <uid>`; show who that is (one getent per new uid, cached). */
  private async nameCancellers(reports: Map<string, FinalReport>): Promise<void> {
    const uids = new Set<string>();
    for (const r of reports.values()) {
      if (
        r.cancelledBy !== null &&
        /^\d+$/.test(r.cancelledBy) &&
        !this.userNames.has(r.cancelledBy)
      )
        uids.add(r.cancelledBy);
    }
    if (uids.size > 0) {
      const result = await this.query(`getent passwd ${[...uids].join(' ')} | cut -d: -f1,3`).catch(
        () => null,
      );
      for (const line of result?.stdout.split('\n') ?? []) {
        const [name, uid] = line.trim().split(':');
        if (name && uid) this.userNames.set(uid, name);
      }
      for (const uid of uids) if (!this.userNames.has(uid)) this.userNames.set(uid, uid);
    }
    for (const [id, r] of reports) {
      const name = r.cancelledBy === null ? undefined : this.userNames.get(r.cancelledBy);
      if (name !== undefined) reports.set(id, { ...r, cancelledBy: name });
    }
  }

  private query(command: string, signal?: AbortSignal): Promise<CommandResult> {
    return this.runner.run(command, {
      timeoutMs: this.o.queryTimeoutMs ?? 60_000,
      maxOutputBytes: MAX_QUEUE_OUTPUT_BYTES,
      ...(signal ? { signal } : {}),
    });
  }
}

/** A failing scheduler command is "no information", never an empty answer. */
function requireSuccess(result: CommandResult, what: string): void {
  if (result.exitCode === 0) return;
  const detail = result.stderr.trim() || result.stdout.trim() || 'no output';
  const status =
    result.exitCode === null
      ? `killed by ${result.signal ?? 'a signal'}`
      : `exit ${result.exitCode}`;
  throw new CoreError('SCHEDULER_ERROR', `${what} failed (${status}): ${detail.slice(0, 500)}`);
}
