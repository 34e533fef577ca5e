import { describe, expect, it } from 'vitest';
import type { FinalReport } from '../backend';
import { jobIdOf, loadCapture } from './load-capture';
import { parseSacct, type SacctRow } from './parse-sacct';
import { resolveFinalReports } from './resolve-final-reports';

const reportsOf = (capture: string): Map<string, FinalReport> =>
  resolveFinalReports(parseSacct(loadCapture(capture).stdout));

type Expected = Pick<FinalReport, 'outcome' | 'exitCode' | 'signal' | 'cancelledBy'> & {
  reason?: string | RegExp;
  started: boolean;
};

const OUTPUT_NOT_WRITABLE =
  "Could not start: Slurm could not open the job's output or error file (slurmd error 4021, shown by sacct as signal 53). Check that the directory of --output and --error exists on the node and that the job's user may write to it.";

const scenarios: [string, string, Expected][] = [
  [
    'completed',
    'is COMPLETED with exit 0',
    { outcome: 'COMPLETED', exitCode: 0, signal: null, cancelledBy: null, started: true },
  ],
  [
    'exit-3',
    'is FAILED with exit code 3',
    { outcome: 'FAILED', exitCode: 3, signal: null, cancelledBy: null, started: true },
  ],
  [
    'signal-kill',
    'is FAILED with signal 9, not CANCELLED as .batch says',
    { outcome: 'FAILED', exitCode: null, signal: 9, cancelledBy: null, started: true },
  ],
  [
    'child-segv',
    'is FAILED with the exit code Slurm recorded',
    { outcome: 'FAILED', exitCode: 11, signal: null, cancelledBy: null, started: true },
  ],
  [
    'timeout',
    'is TIMEOUT, killed by SIGTERM from Slurm',
    { outcome: 'TIMEOUT', exitCode: null, signal: 15, cancelledBy: null, started: true },
  ],
  [
    'oom',
    'is OUT_OF_MEMORY with no exit code and no signal (0:125 is not one)',
    { outcome: 'OUT_OF_MEMORY', exitCode: null, signal: null, cancelledBy: null, started: true },
  ],
  [
    'child-oom-ignored',
    'is OUT_OF_MEMORY although the script carried on',
    { outcome: 'OUT_OF_MEMORY', exitCode: null, signal: null, cancelledBy: null, started: true },
  ],
  [
    'step-oom',
    'is OUT_OF_MEMORY, never COMPLETED, when only an srun step ran out of memory',
    { outcome: 'OUT_OF_MEMORY', exitCode: 0, signal: null, cancelledBy: null, started: true },
  ],
  [
    'step-fails',
    'stays COMPLETED when a failed srun step was ignored by the script',
    { outcome: 'COMPLETED', exitCode: 0, signal: null, cancelledBy: null, started: true },
  ],
  [
    'steps-completed',
    'is COMPLETED with numbered steps',
    { outcome: 'COMPLETED', exitCode: 0, signal: null, cancelledBy: null, started: true },
  ],
  [
    'missing-output-dir',
    'could not start: slurmd error 4021, which sacct prints as signal 53, said in words',
    {
      outcome: 'FAILED',
      exitCode: null,
      signal: null,
      cancelledBy: null,
      reason: OUTPUT_NOT_WRITABLE,
      started: false,
    },
  ],
  [
    'unwritable-output-dir',
    'could not start when its output directory exists but is not writable, said in words',
    {
      outcome: 'FAILED',
      exitCode: null,
      signal: null,
      cancelledBy: null,
      reason: OUTPUT_NOT_WRITABLE,
      started: false,
    },
  ],
  [
    'cancel-running',
    'is CANCELLED by uid 1001',
    { outcome: 'CANCELLED', exitCode: null, signal: 15, cancelledBy: '1001', started: true },
  ],
  [
    'cancel-pending',
    'is CANCELLED before it ever ran',
    {
      outcome: 'CANCELLED',
      exitCode: null,
      signal: null,
      cancelledBy: '1001',
      reason: 'BeginTime',
      started: false,
    },
  ],
  [
    'held-cancelled',
    'is CANCELLED while held',
    {
      outcome: 'CANCELLED',
      exitCode: null,
      signal: null,
      cancelledBy: '1001',
      reason: 'JobHeldUser',
      started: false,
    },
  ],
  [
    'pending-dependency',
    'is CANCELLED with the reason it waited for (Dependency or DependencyNeverSatisfied, as accounting last heard)',
    {
      outcome: 'CANCELLED',
      exitCode: null,
      signal: null,
      cancelledBy: '1001',
      reason: /^Dependency/,
      started: false,
    },
  ],
  [
    'other-user',
    'of another user is COMPLETED',
    { outcome: 'COMPLETED', exitCode: 0, signal: null, cancelledBy: null, started: true },
  ],
  [
    'other-user-held',
    'of another user is CANCELLED by that user',
    { outcome: 'CANCELLED', exitCode: null, signal: null, cancelledBy: '1002', started: false },
  ],
];

describe('resolveFinalReports on captured jobs', () => {
  it.each(scenarios)('the %s job %s', (scenario, _behaviour, expected) => {
    const id = jobIdOf(scenario);
    const reports = reportsOf(`sacct-${scenario}`);
    expect([...reports.keys()]).toEqual([id]);
    const report = reports.get(id);
    const { started, reason, ...fields } = expected;
    expect(report).toMatchObject({ schedulerJobId: id, ...fields });
    if (reason !== undefined) expect(report?.reason).toMatch(reason);
    expect(report?.finishTime).toMatch(/Z$/);
    expect(report?.startTime === null).toBe(!started);
  });

  it('reports each task of an array on its own, the failed task FAILED', () => {
    const base = jobIdOf('array-one-fails');
    const reports = reportsOf('sacct-array-one-fails');
    expect([...reports.keys()].sort()).toEqual([`${base}_1`, `${base}_2`, `${base}_3`]);
    expect(reports.get(`${base}_2`)).toMatchObject({ outcome: 'FAILED', exitCode: 1 });
    expect(reports.get(`${base}_1`)).toMatchObject({ outcome: 'COMPLETED', exitCode: 0 });
  });

  it('reports a cancelled pending array range under its <id>_[range] id', () => {
    const id = `${jobIdOf('array-pending')}_[5-9]`;
    expect(reportsOf('sacct-array-pending').get(id)).toMatchObject({
      outcome: 'CANCELLED',
      cancelledBy: '1001',
    });
  });

  it('gives no report for jobs still pending or running in sacct', () => {
    const rows = parseSacct(loadCapture('sacct-live-jobs').stdout);
    const live = rows.filter((r) => r.step === null && /^(PENDING|RUNNING)$/.test(r.state));
    expect(live.length).toBeGreaterThan(0);
    const reports = resolveFinalReports(rows);
    for (const row of live) expect(reports.has(row.jobId)).toBe(false);
  });

  it('waits while accounting is still writing a job that just ended (ReqMem not readable yet)', () => {
    const rows = parseSacct(loadCapture('sacct-just-ended').stdout);
    expect(rows[0]).toMatchObject({ state: 'COMPLETED', reqMemBytes: null });
    expect(rows[0]?.reqMem).toMatch(/\?$/);
    expect(reportsOf('sacct-just-ended').size).toBe(0);
  });

  it('reports the known jobs and simply leaves out unknown ids', () => {
    const reports = reportsOf('sacct-mixed-unknown');
    expect([...reports.keys()].sort()).toEqual(
      [
        jobIdOf('completed'),
        jobIdOf('exit-3'),
        `${jobIdOf('array-one-fails')}_2`,
        `${jobIdOf('array-pending')}_[5-9]`,
      ].sort(),
    );
  });
});

const row = (jobId: string, state: string, exitCode: string): SacctRow => ({
  jobId,
  allocationId: jobId.split('.')[0] ?? jobId,
  step: jobId.includes('.') ? (jobId.split('.')[1] ?? null) : null,
  jobIdRaw: jobId,
  state,
  exitCode,
  derivedExitCode: '0:0',
  reason: null,
  submitTime: '2026-01-01T00:00:00Z',
  startTime: '2026-01-01T00:00:01Z',
  endTime: '2026-01-01T00:00:02Z',
  elapsed: '00:00:01',
  comment: null,
  totalCpuSeconds: null,
  allocCpus: 1,
  maxRssBytes: null,
  reqMem: '100M',
  reqMemBytes: 100 * 2 ** 20,
});

describe('resolveFinalReports rules without a capture', () => {
  it('marks a job FAILED when sacct says COMPLETED with a non-zero exit code', () => {
    const reports = resolveFinalReports([
      row('5', 'COMPLETED', '1:0'),
      row('5.batch', 'COMPLETED', '1:0'),
    ]);
    expect(reports.get('5')).toMatchObject({ outcome: 'FAILED', exitCode: 1 });
  });

  it.each([
    [
      '0:42',
      4010,
      /^Could not start: slurmd could not create the job's batch directory or script on the node \(slurmd error 4010/,
    ],
    ['0:46', 4014, /^Could not start: slurmd could not set up the job's environment/],
    ['0:48', 4016, /^Could not start: slurmd could not switch to the job's user or group/],
    ['0:52', 4020, /^Could not start: slurmd could not execute the job script/],
    ['0:54', 4022, /^Could not start: the node's prolog failed/],
  ])(
    'reads a FAILED job with ExitCode %s as slurmd launch error %i, in words',
    (exitCode, code, words) => {
      const report = resolveFinalReports([
        row('5', 'FAILED', exitCode),
        row('5.batch', 'CANCELLED', exitCode),
      ]).get('5');
      expect(report).toMatchObject({
        outcome: 'FAILED',
        signal: null,
        exitCode: null,
        startTime: null,
      });
      expect(report?.reason).toMatch(words);
      expect(report?.reason).toContain(
        `slurmd error ${code}, shown by sacct as signal ${exitCode.slice(2)})`,
      );
    },
  );

  it('keeps a signal that is no launch error (a real one, or an epilog failure after the script ran)', () => {
    for (const [exitCode, signal] of [
      ['0:9', 9],
      ['0:55', 55],
      ['0:64', 64],
    ] as const) {
      const report = resolveFinalReports([
        row('5', 'FAILED', exitCode),
        row('5.batch', 'FAILED', exitCode),
      ]).get('5');
      expect(report).toMatchObject({ outcome: 'FAILED', signal, reason: null });
    }
  });

  it('never turns an unreadable exit code into a failure', () => {
    const reports = resolveFinalReports([
      row('5', 'COMPLETED', 'n/a'),
      row('5.batch', 'COMPLETED', ''),
    ]);
    expect(reports.get('5')).toMatchObject({ outcome: 'COMPLETED', exitCode: null, signal: null });
  });

  it('ends a job in a state it does not know as LOST and keeps the raw text', () => {
    const reports = resolveFinalReports([
      row('5', 'WEIRD_NEW_STATE', '0:0'),
      row('5.batch', 'COMPLETED', '0:0'),
    ]);
    expect(reports.get('5')).toMatchObject({
      outcome: 'LOST',
      rawState: 'WEIRD_NEW_STATE',
      reason: 'unrecognised Slurm state: WEIRD_NEW_STATE',
    });
  });

  it('waits while a step is still running under a finished allocation', () => {
    expect(
      resolveFinalReports([row('5', 'COMPLETED', '0:0'), row('5.batch', 'RUNNING', '0:0')]).size,
    ).toBe(0);
  });

  it('reads the truncated spellings CANCELLED+ and OUT_OF_ME+', () => {
    const reports = resolveFinalReports([
      row('5', 'OUT_OF_ME+', '0:125'),
      row('5.batch', 'OUT_OF_ME+', '0:125'),
      row('6', 'CANCELLED+', '0:0'),
    ]);
    expect(reports.get('5')?.outcome).toBe('OUT_OF_MEMORY');
    expect(reports.get('6')).toMatchObject({ outcome: 'CANCELLED', cancelledBy: null });
  });

  it('takes each job once when sacct repeats rows', () => {
    const rows = [row('5', 'FAILED', '2:0'), row('5.batch', 'FAILED', '2:0')];
    expect(resolveFinalReports([...rows, ...rows]).get('5')).toMatchObject({
      outcome: 'FAILED',
      exitCode: 2,
    });
  });
});
