import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FinalReport, SubmitSpec } from '../backend';
import { shellQuotePath, type CommandResult } from '../../runtime/command-runner';
import { sacctCommand, sbatchCommand, scancelCommand, squeueCommand } from './commands';
import { parseSacct } from './parse-sacct';
import { parseSbatchOutput } from './parse-sbatch-output';
import { parseSqueue } from './parse-squeue';
import { newRecordSeparator } from './record-separator';
import { renderJobScript } from './render-job-script';
import { resolveFinalReports } from './resolve-final-reports';

// Submits rendered scripts to the project testbed over plain OpenSSH and checks
// that each command ran exactly as written (the project's SSH pool is not used
// here on purpose: this tests the script, not the transport).
const envFile = process.env.SCRIPTHUT_TESTBED_ENV ?? '/var/tmp/scripthut-testbed/connection.env';

function readTestbed(): Record<string, string> {
  if (!existsSync(envFile))
    throw new Error(`Testbed not running: ${envFile} is missing (testbed/up.sh)`);
  const vars: Record<string, string> = {};
  for (const line of readFileSync(envFile, 'utf8').split('\n')) {
    const match = /^([A-Za-z0-9_]+)=(.*)$/.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined)
      vars[match[1]] = match[2].replace(/^"|"$/g, '');
  }
  return vars;
}

const tb = readTestbed();
const user = 'hutuser';

function ssh(command: string, stdin = ''): Promise<CommandResult> {
  const started = Date.now();
  const args = [
    '-p',
    tb.HUT_SSH_PORT ?? '22',
    '-i',
    tb[`HUT_KEY_${user}`] ?? '',
    '-o',
    'BatchMode=yes',
  ];
  args.push(
    '-o',
    `UserKnownHostsFile=${tb.HUT_SSH_KNOWN_HOSTS ?? ''}`,
    '-o',
    'StrictHostKeyChecking=yes',
  );
  const child = spawn('ssh', [...args, `${user}@${tb.HUT_SSH_HOST ?? ''}`, command]);
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  child.stdin.end(stdin);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (exitCode, signal) =>
      resolve({
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        exitCode,
        signal,
        durationMs: Date.now() - started,
      }),
    );
  });
}

const run = `render-${randomBytes(4).toString('hex')}`;
const dir = `~/scripthut-int/${run}`;
const longLines = Array.from({ length: 7000 }, (_, i) => `echo "line ${i} $((${i} * 2))"`);

interface Case {
  name: string;
  command: string;
  expectedStdout: string;
  expectedStderr?: string;
  outcome?: FinalReport['outcome'];
  exitCode?: number;
  workingDir?: string;
  jobName?: string;
}

const cases: Case[] = [
  {
    name: 'quotes',
    command: `printf '%s\\n' "double \\"quoted\\"" 'single '\\''quoted'\\''' "it's"`,
    expectedStdout: `double "quoted"\nsingle 'quoted'\nit's\n`,
  },
  {
    name: 'substitutions',
    command: 'echo "$(echo sub) `echo tick` $((6 * 7))"; echo \'$(not run) `nor this` $HOME\'',
    expectedStdout: 'sub tick 42\n$(not run) `nor this` $HOME\n',
  },
  {
    name: 'newlines',
    command: 'for i in 1 2 3; do\n  echo "n$i"\ndone\n\n\necho end',
    expectedStdout: 'n1\nn2\nn3\nend\n',
  },
  { name: 'home', command: 'pwd', workingDir: '~', expectedStdout: '/home/hutuser\n' },
  {
    name: 'odd workdir',
    command: 'pwd',
    workingDir: `${dir}/dir with spaces 'ünï' #1`,
    expectedStdout: `/home/hutuser/scripthut-int/${run}/dir with spaces 'ünï' #1\n`,
  },
  { name: 'unicode', command: "echo 'héllo 日本 ✓ 🚀'", expectedStdout: 'héllo 日本 ✓ 🚀\n' },
  {
    name: 'long',
    command: longLines.join('\n'),
    expectedStdout: longLines.map((_, i) => `line ${i} ${i * 2}\n`).join(''),
  },
  {
    name: 'not a directive',
    command: '#SBATCH --mem=1T\n#SBATCH --time=0\necho "ran with $SLURM_MEM_PER_NODE MB"',
    expectedStdout: 'ran with 50 MB\n',
  },
  {
    name: 'stderr',
    command: 'echo out; echo err >&2',
    expectedStdout: 'out\n',
    expectedStderr: 'err\n',
  },
  {
    name: 'pipefail',
    command: 'false | cat; echo "status $?"; false | cat',
    expectedStdout: 'status 1\n',
    outcome: 'FAILED',
    exitCode: 1,
  },
  {
    name: 'exit code',
    command: 'echo before; exit 7; echo after',
    expectedStdout: 'before\n',
    outcome: 'FAILED',
    exitCode: 7,
  },
  {
    name: 'hostile name',
    command: 'echo "$SLURM_JOB_NAME"',
    jobName: 'evil\nname|x "q" $(reboot) `id` # not a comment',
    expectedStdout: 'evil name|x "q" $(reboot) `id` # not a comment\n',
  },
];

const submitted = new Map<string, { spec: SubmitSpec; schedulerJobId: string }>();
let reports = new Map<string, FinalReport>();

const pathOf = (c: Case, kind: 'out' | 'err'): string => `${dir}/logs/${c.name} "q" #%j.${kind}`;
const realPath = (path: string, id: string): string => path.replace('%j', id);

describe('renderJobScript on the Slurm testbed', { timeout: 240_000 }, () => {
  beforeAll(async () => {
    const mkdir = await ssh(
      `mkdir -p ${shellQuotePath(`${dir}/logs`)} ${shellQuotePath(`${dir}/dir with spaces 'ünï' #1`)}`,
    );
    expect(mkdir.exitCode, mkdir.stderr).toBe(0);
    for (const [index, c] of cases.entries()) {
      const spec: SubmitSpec = {
        tag: `int-${run}-${index}`,
        name: c.jobName ?? `scripthut-int ${c.name}`,
        command: c.command,
        workingDir: c.workingDir ?? dir,
        partition: null,
        cpus: 1,
        memory: '50M',
        timeLimit: '2',
        account: null,
        stdoutPath: pathOf(c, 'out'),
        stderrPath: pathOf(c, 'err'),
      };
      const outcome = parseSbatchOutput(await ssh(sbatchCommand(), renderJobScript(spec)));
      if (outcome.kind !== 'submitted') throw new Error(`${c.name}: ${JSON.stringify(outcome)}`);
      submitted.set(c.name, { spec, schedulerJobId: outcome.schedulerJobId });
    }
    const ids = [...submitted.values()].map((s) => s.schedulerJobId);
    reports = await vi.waitFor(
      async () => {
        const result = await ssh(sacctCommand(ids, newRecordSeparator()));
        const found = resolveFinalReports(parseSacct(result.stdout));
        if (ids.some((id) => !found.has(id)))
          throw new Error(`waiting for ${ids.filter((id) => !found.has(id)).join(',')}`);
        return found;
      },
      { timeout: 200_000, interval: 1000 },
    );
  }, 240_000);

  afterAll(async () => {
    const ids = [...submitted.values()].map((s) => s.schedulerJobId);
    if (ids.length > 0 && reports.size < ids.length) await ssh(scancelCommand(ids));
    await ssh(`rm -rf ${shellQuotePath(dir)}`);
  });

  it.each(cases.map((c) => [c.name, c] as const))(
    'runs the %s command exactly as written',
    async (_name, c) => {
      const job = submitted.get(c.name);
      if (job === undefined) throw new Error('not submitted');
      expect(reports.get(job.schedulerJobId)).toMatchObject({
        outcome: c.outcome ?? 'COMPLETED',
        exitCode: c.exitCode ?? 0,
      });
      const out = await ssh(
        `cat ${shellQuotePath(realPath(job.spec.stdoutPath!, job.schedulerJobId))}`,
      );
      expect(out.stdout).toBe(c.expectedStdout);
      const err = await ssh(
        `cat ${shellQuotePath(realPath(job.spec.stderrPath!, job.schedulerJobId))}`,
      );
      expect(err.stdout).toBe(c.expectedStderr ?? '');
    },
  );

  it('makes every submission findable in squeue by its tag, under the sanitized name', async () => {
    const jobs = parseSqueue(
      (await ssh(squeueCommand(newRecordSeparator(), { includeFinished: true }))).stdout,
    );
    for (const { spec, schedulerJobId } of submitted.values()) {
      const job = jobs.find((j) => j.schedulerJobId === schedulerJobId);
      expect(job).toMatchObject({ tag: spec.tag, user, name: spec.name.replace(/\n/g, ' ') });
    }
  });
});
