import { spawn } from 'node:child_process';
import { dirname } from 'node:path';
import { mkdirSync } from 'node:fs';
import { submitEach, type Backend, type CancelOutcome, type FinalReport, type JobLogs, type ObservedJob, type SubmitOutcome, type SubmitSpec } from '../backend';
import { LocalCommandRunner } from '../../runtime/local-command-runner';
import { formatDuration } from '../aws/format-duration';
import { FileLogs } from '../file-logs/file-logs';
import type { Clock } from '../../runtime/clock';
import { shellQuote } from '../../runtime/command-runner';
import { LocalJobFiles, processStartTime } from './local-job-files';
import { renderLocalScript } from './render-local-script';

export interface LocalBackendOptions {
  /** Directory holding the job records (`<data_dir>/local/<cluster>`). */
  root: string;
  homeDir: string;
  user: string;
  clock: Clock;
}

interface StoredSpec extends SubmitSpec {
  submitTime: string;
}

/**
 * Runs jobs as processes on this machine with the same semantics as a
 * scheduler: submit returns an id, the live queue lists running jobs, final
 * states come from real exit statuses. Jobs run in their own session so they
 * survive a restart of the server, which finds them again from their files
 * (`detached` makes each job the leader of its own session and process group).
 */
export class LocalBackend implements Backend {
  readonly kind = 'local' as const;
  private readonly files: LocalJobFiles;
  /** The files the jobs write, read with the same guards as on a cluster. */
  readonly logs: JobLogs;

  constructor(private readonly o: LocalBackendOptions) {
    this.files = new LocalJobFiles(o.root);
    this.logs = new FileLogs(new LocalCommandRunner(o.homeDir, { HOME: o.homeDir, PATH: '/usr/local/bin:/usr/bin:/bin' }));
  }

  submitMany(specs: readonly SubmitSpec[]): Promise<Map<string, SubmitOutcome>> {
    return submitEach(specs, (spec) => this.submit(spec));
  }

  submit(spec: SubmitSpec): Promise<SubmitOutcome> {
    const id = this.files.allocateId();
    const stored: StoredSpec = { ...spec, submitTime: this.o.clock.now().toISOString() };
    if (spec.stdoutPath === null || spec.stderrPath === null) {
      return Promise.resolve({ kind: 'rejected', error: 'local jobs write their output to files: stdoutPath and stderrPath are required' });
    }
    const stdout = this.expand(spec.stdoutPath);
    const stderr = this.expand(spec.stderrPath);
    try {
      mkdirSync(dirname(stdout), { recursive: true });
      mkdirSync(dirname(stderr), { recursive: true });
    } catch (e) {
      return Promise.resolve({ kind: 'rejected', error: `Cannot create the log directory: ${(e as Error).message}` });
    }
    this.files.write(id, 'spec.json', JSON.stringify(stored));
    this.files.write(id, 'script.sh', renderLocalScript(spec));
    const dir = this.files.dir(id);
    // The wrapper records when it started and its pid, opens the log files
    // (or records why it could not: `launch-error`, and the script never
    // runs), runs the script, and records when it ended and the status, each
    // file atomically; the start is written before the pid, so a live job
    // always has one.
    const out = shellQuote(stdout);
    const err = shellQuote(stderr);
    const wrapper = [
      `cd ${shellQuote(dir)}`,
      `date +%s%3N > started.tmp && mv started.tmp started`,
      `echo "$$ $(cut -d' ' -f22 /proc/$$/stat)" > pid.tmp && mv pid.tmp pid`,
      `if { : > ${out} && : > ${err}; } 2> launch-error.tmp; then`,
      `  rm -f launch-error.tmp`,
      `  bash script.sh > ${out} 2> ${err} < /dev/null`,
      `  rc=$?`,
      `else`,
      `  rc=1`,
      `  mv launch-error.tmp launch-error`,
      `fi`,
      `date +%s%3N > finished.tmp && mv finished.tmp finished`,
      `echo $rc > rc.tmp && mv rc.tmp rc`,
    ].join('\n');
    const child = spawn('bash', ['-c', wrapper], {
      cwd: this.o.homeDir,
      detached: true,
      stdio: 'ignore',
      env: { HOME: this.o.homeDir, PATH: '/usr/local/bin:/usr/bin:/bin', SCRIPTHUT_JOB_ID: id, SCRIPTHUT_TAG: spec.tag },
    });
    child.unref();
    return Promise.resolve({ kind: 'submitted', schedulerJobId: id, warnings: null });
  }

  listJobs(): Promise<ObservedJob[]> {
    const now = this.o.clock.now().getTime();
    const jobs: ObservedJob[] = [];
    for (const id of this.files.ids()) {
      if (this.files.exists(id, 'rc')) continue;
      const spec = this.spec(id);
      if (!spec) continue;
      const live = this.livePid(id) !== null;
      // Between spawn and the wrapper writing its pid, a job counts as pending.
      const starting = !this.files.exists(id, 'cancelled') && now - Date.parse(spec.submitTime) < 10_000;
      if (!live && !starting) continue;
      const startMs = live ? this.startMs(id, spec) : null;
      jobs.push({
        schedulerJobId: id,
        name: spec.name,
        user: this.o.user,
        rawState: live ? 'RUNNING' : 'PENDING',
        state: live ? 'running' : 'submitted',
        reason: null,
        partition: null,
        cpus: spec.cpus,
        memory: spec.memory,
        nodes: 'localhost',
        timeUsed: startMs === null ? null : formatDuration((now - startMs) / 1000),
        timeLimit: spec.timeLimit,
        submitTime: spec.submitTime,
        startTime: startMs === null ? null : new Date(startMs).toISOString(),
        workDir: spec.workingDir,
        command: spec.command,
        stdoutPath: spec.stdoutPath,
        stderrPath: spec.stderrPath,
      });
    }
    return Promise.resolve(jobs);
  }

  finalReports(ids: readonly string[]): Promise<Map<string, FinalReport>> {
    const reports = new Map<string, FinalReport>();
    for (const id of ids) {
      if (!/^\d+$/.test(id)) continue;
      const rcText = this.files.read(id, 'rc');
      const cancelled = this.files.exists(id, 'cancelled');
      if (rcText === null && !(cancelled && this.livePid(id) === null)) continue;
      const spec = this.spec(id);
      const launchError = this.launchError(id);
      if (launchError !== null && spec !== null) {
        reports.set(id, {
          schedulerJobId: id,
          rawState: 'FAILED',
          outcome: 'FAILED',
          exitCode: null,
          signal: null,
          cancelledBy: null,
          reason: launchError,
          submitTime: spec.submitTime,
          startTime: null,
          finishTime: this.times(id, spec).finishTime,
          elapsed: null,
        });
        continue;
      }
      const rc = rcText === null ? null : Number(rcText.trim());
      const signal = rc !== null && rc > 128 ? rc - 128 : null;
      const outcome = cancelled ? 'CANCELLED' : rc === 0 ? 'COMPLETED' : 'FAILED';
      reports.set(id, {
        schedulerJobId: id,
        rawState: cancelled ? 'CANCELLED' : rc === 0 ? 'COMPLETED' : 'FAILED',
        outcome,
        exitCode: rc,
        signal,
        cancelledBy: cancelled ? this.files.read(id, 'cancelled')?.trim() || null : null,
        reason: outcome === 'FAILED' ? (signal ? `killed by signal ${signal}` : `exit code ${rc}`) : null,
        ...(spec === null ? { startTime: null, finishTime: null, elapsed: null } : this.times(id, spec)),
      });
    }
    return Promise.resolve(reports);
  }

  async cancel(ids: readonly string[]): Promise<CancelOutcome[]> {
    return Promise.all(
      ids.map(async (id): Promise<CancelOutcome> => {
        if (!/^\d+$/.test(id) || !this.files.exists(id, 'spec.json')) {
          return { schedulerJobId: id, ok: false, message: `No local job ${id}` };
        }
        if (this.files.exists(id, 'rc')) return { schedulerJobId: id, ok: false, message: `Job ${id} has already ended` };
        this.files.write(id, 'cancelled', this.o.user);
        const pid = this.livePid(id);
        if (pid !== null) await killGroup(pid);
        return { schedulerJobId: id, ok: true, message: null };
      }),
    );
  }

  /** Tags are read back from each job's `spec.json`, written before the job is started. */
  findByTags(tags: readonly string[]): Promise<Map<string, string>> {
    const wanted = new Set(tags);
    const found = new Map<string, string>();
    for (const id of this.files.ids()) {
      const tag = this.spec(id)?.tag;
      if (tag !== undefined && wanted.has(tag)) found.set(tag, id);
    }
    return Promise.resolve(found);
  }

  private spec(id: string): StoredSpec | null {
    const text = this.files.read(id, 'spec.json');
    return text === null ? null : (JSON.parse(text) as StoredSpec);
  }

  private livePid(id: string): number | null {
    const [pid, start] = (this.files.read(id, 'pid') ?? '').trim().split(' ');
    const n = Number(pid);
    return n > 0 && start !== undefined && processStartTime(n) === start ? n : null;
  }

  /**
   * When the wrapper started, never before the recorded submit time (the two
   * clocks can differ by a little). Jobs started by an older wrapper have no
   * `started` file: their submit time stands in, as it always did.
   */
  private startMs(id: string, spec: StoredSpec): number {
    const submitMs = Date.parse(spec.submitTime);
    const started = Number(this.files.read(id, 'started')?.trim());
    return started > 0 ? Math.max(started, submitMs) : submitMs;
  }

  /** Why the wrapper could not start the script, in words; null when it started it. */
  private launchError(id: string): string | null {
    const text = this.files.read(id, 'launch-error');
    if (text === null) return null;
    // bash says `bash: line 4: /path: Permission denied`; the path and the cause are what matter.
    const cause = text.trim().split('\n')[0]?.replace(/^bash: (line \d+: )?/, '') || 'no reason given';
    return (
      `Could not start: could not open its output or error file (${cause}). ` +
      "Check that the directory exists and that the job's user may write to it."
    );
  }

  /** Submit, start and finish of an ended job, and the time it ran. A job cancelled before it started has none. */
  private times(id: string, spec: StoredSpec): Pick<FinalReport, 'submitTime' | 'startTime' | 'finishTime' | 'elapsed'> {
    const ran = this.files.exists(id, 'pid');
    const startMs = ran ? this.startMs(id, spec) : null;
    const finished = Number(this.files.read(id, 'finished')?.trim());
    const finishMs = startMs !== null && finished > 0 ? Math.max(finished, startMs) : null;
    return {
      submitTime: spec.submitTime,
      startTime: startMs === null ? null : new Date(startMs).toISOString(),
      finishTime: finishMs === null ? null : new Date(finishMs).toISOString(),
      elapsed: startMs === null || finishMs === null ? null : formatDuration((finishMs - startMs) / 1000),
    };
  }

  private expand(path: string): string {
    return path.startsWith('~/') ? `${this.o.homeDir}/${path.slice(2)}` : path;
  }
}

/** TERM the job's whole session, then KILL what is left after a grace period. */
function killGroup(pid: number): Promise<void> {
  return new Promise((resolve) => {
    const script = `kill -TERM -- -${pid} 2>/dev/null; for i in 1 2 3 4 5 6 7 8 9 10; do kill -0 -- -${pid} 2>/dev/null || exit 0; sleep 0.3; done; kill -KILL -- -${pid} 2>/dev/null; exit 0`;
    const child = spawn('bash', ['-c', script], { stdio: 'ignore' });
    child.on('close', () => resolve());
    child.on('error', () => resolve());
  });
}
