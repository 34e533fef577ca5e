import { describe, expect, it } from 'vitest';
import type { CommandResult, CommandRunner, RunOptions } from '../../runtime/command-runner';
import { CoreError, isCoreError } from '../../runtime/errors';
import { jobIdOf, loadCapture } from './load-capture';
import { parseSqueue } from './parse-squeue';
import { renderJobScript } from './render-job-script';
import { SlurmBackend } from './slurm-backend';

/** Replays a captured answer, re-keyed to the separator of the command it is asked. */
class ReplayRunner implements CommandRunner {
  commands: string[] = [];
  constructor(private readonly answer: (command: string) => CommandResult) {}
  run(command: string, _options?: RunOptions): Promise<CommandResult> {
    this.commands.push(command);
    if (command.startsWith('getent passwd')) {
      return Promise.resolve({
        stdout: 'hutuser:1001\n',
        stderr: '',
        exitCode: 0,
        signal: null,
        durationMs: 1,
      });
    }
    return Promise.resolve(this.answer(command));
  }
}

const separatorOf = (text: string): string => /@[0-9a-f]{12,32}@/.exec(text)![0];
function replay(capture: string): (command: string) => CommandResult {
  const c = loadCapture(capture);
  const old = separatorOf(c.stdout);
  return (command) => ({ ...c, stdout: c.stdout.split(old).join(separatorOf(command)) });
}

const backendWith = (runner: CommandRunner) =>
  new SlurmBackend(runner, { renderScript: renderJobScript });

describe('SlurmBackend', () => {
  it('reports a whole array cancelled before any task started under the id squeue listed', async () => {
    const id = jobIdOf('array-pending');
    const base = id.replace(/_.*/, '');
    const reports = await backendWith(new ReplayRunner(replay('sacct-array-pending'))).finalReports(
      [base],
    );
    expect(reports.get(base)).toMatchObject({
      schedulerJobId: base,
      outcome: 'CANCELLED',
      cancelledBy: 'hutuser',
    });
  });

  it('reports what is left of a cancelled range under the name squeue gave it', async () => {
    const base = jobIdOf('array-cancel');
    const left = parseSqueue(loadCapture('squeue-array-cancelled').stdout).find(
      (j) => j.arrayJobId === base && j.arrayTasks !== 1,
    );
    expect(left?.schedulerJobId).toMatch(/_\[/);
    const id = left?.schedulerJobId ?? '';
    const reports = await backendWith(
      new ReplayRunner(replay('sacct-array-cancelled')),
    ).finalReports([id, `${base}_2`]);
    expect(reports.get(id)).toMatchObject({
      schedulerJobId: id,
      outcome: 'CANCELLED',
      startTime: null,
      efficiency: null,
    });
    expect(reports.get(`${base}_2`)).toMatchObject({
      outcome: 'CANCELLED',
      cancelledBy: 'hutuser',
    });
  });

  it('asks sacct once for many jobs and ignores ids accounting does not know', async () => {
    const runner = new ReplayRunner(replay('sacct-mixed-unknown'));
    const known = jobIdOf('completed');
    const reports = await backendWith(runner).finalReports([known, '999999']);
    expect(runner.commands.filter((c) => c.includes('sacct'))).toHaveLength(1);
    expect([...reports.keys()]).toEqual([known]);
  });

  it('treats a failing squeue as no information, never an empty queue', async () => {
    const runner = new ReplayRunner(() => ({
      stdout: '',
      stderr: 'slurm_load_jobs error: Unable to contact slurm controller (connect failure)\n',
      exitCode: 1,
      signal: null,
      durationMs: 5,
    }));
    const error: unknown = await backendWith(runner)
      .listJobs()
      .catch((e: unknown) => e);
    expect(isCoreError(error) && error.code).toBe('SCHEDULER_ERROR');
    expect(String(error)).toMatch(/Unable to contact slurm controller/);
  });

  it('submits the script on stdin with the tag on the command line', async () => {
    let stdin: string | undefined;
    const runner: CommandRunner = {
      run: (command, options) => {
        stdin = options?.stdin;
        expect(command).toContain('--comment=scripthut:t-1');
        return Promise.resolve({
          stdout: '4242\n',
          stderr: '',
          exitCode: 0,
          signal: null,
          durationMs: 3,
        });
      },
    };
    const result = await backendWith(runner).submit({
      tag: 't-1',
      name: 'n',
      command: 'echo hi',
      workingDir: '~',
      partition: null,
      cpus: 1,
      memory: '1G',
      timeLimit: '1:00',
      account: null,
      stdoutPath: '~/o',
      stderrPath: '~/e',
    });
    expect(result).toEqual({ kind: 'submitted', schedulerJobId: '4242', warnings: null });
    expect(stdin).toContain('echo hi');
  });

  it('answers notSubmitted when sbatch cannot reach slurmctld, and uncertain when the exec fails midway', async () => {
    const stderr =
      'sbatch: error: Batch job submission failed: Unable to contact slurm controller (connect failure)\n';
    const spec = {
      tag: 't-2',
      name: 'n',
      command: 'true',
      workingDir: '~',
      partition: null,
      cpus: 1,
      memory: '1G',
      timeLimit: '1:00',
      account: null,
      stdoutPath: '~/o',
      stderrPath: '~/e',
    };
    const unreachable: CommandRunner = {
      run: () =>
        Promise.resolve({ stdout: '', stderr, exitCode: 1, signal: null, durationMs: 9_000 }),
    };
    expect(await backendWith(unreachable).submit(spec)).toMatchObject({
      kind: 'notSubmitted',
      message: expect.stringContaining('cannot be reached') as string,
    });
    const notStarted: CommandRunner = {
      run: () =>
        Promise.reject(new CoreError('CLUSTER_UNAVAILABLE', 'ssh down', { started: false })),
    };
    expect(await backendWith(notStarted).submit(spec)).toEqual({
      kind: 'notSubmitted',
      message: 'ssh down',
    });
    const cut: CommandRunner = {
      run: () => Promise.reject(new CoreError('CLUSTER_UNAVAILABLE', 'connection reset')),
    };
    expect(await backendWith(cut).submit(spec)).toEqual({
      kind: 'uncertain',
      message: 'connection reset',
    });
  });
});
