import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SubmitSpec } from '../backend';
import type { CommandResult, CommandRunner, RunOptions } from '../../runtime/command-runner';
import { CoreError } from '../../runtime/errors';
import { LocalCommandRunner } from '../../runtime/local-command-runner';
import { sbatchLoopCommand, parseSbatchLoopOutput } from './sbatch-loop';
import { submitMany } from './submit-many';

/** A stand-in sbatch: keeps each script by tag, and answers by what the script asks for. */
const FAKE_SBATCH = `#!/bin/bash
tag=\${2#--comment=scripthut:}
cat > "$FAKE_DIR/$tag.sh"
if grep -q WANT_REJECT "$FAKE_DIR/$tag.sh"; then
  echo 'sbatch: error: invalid partition specified: nope' >&2
  echo 'sbatch: error: Batch job submission failed: Invalid partition name specified' >&2
  exit 1
fi
if grep -q WANT_BUSY "$FAKE_DIR/$tag.sh"; then
  echo 'sbatch: error: Slurm temporarily unable to accept job, sleeping and retrying' >&2
  sleep 30
fi
if grep -q WANT_WARN "$FAKE_DIR/$tag.sh"; then
  printf 'sbatch: Warning: line one\\nsbatch: Warning: %s line two\\n' "$FAKE_DIR" >&2
fi
n=$(cat "$FAKE_DIR/count" 2>/dev/null || echo 100); echo $((n + 1)) > "$FAKE_DIR/count"
echo $((n + 1))
`;

const dir = mkdtempSync(join(tmpdir(), 'fake-sbatch-'));
writeFileSync(join(dir, 'sbatch'), FAKE_SBATCH);
chmodSync(join(dir, 'sbatch'), 0o755);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the real batch command in local bash, with the fake sbatch first on PATH. */
class FakeSlurmRunner implements CommandRunner {
  readonly commands: string[] = [];
  private readonly local = new LocalCommandRunner(dir, {
    HOME: dir,
    PATH: '/usr/local/bin:/usr/bin:/bin',
  });
  run(command: string, options?: RunOptions): Promise<CommandResult> {
    this.commands.push(command);
    return this.local.run(`export FAKE_DIR='${dir}' PATH='${dir}':"$PATH"\n${command}`, options);
  }
}

const spec = (tag: string): SubmitSpec => ({
  tag,
  name: tag,
  command: 'true',
  workingDir: '/tmp',
  partition: null,
  cpus: 1,
  memory: '1G',
  timeLimit: '1:00',
  account: null,
  stdoutPath: '/tmp/o',
  stderrPath: '/tmp/e',
});

const NASTY = `#!/bin/bash\necho "it's $HOME \`id\` $(id)" '\\'' ; exit 1 \n\u00e9\u2603 %s %% \\n\r\n'; rm -rf /`;

describe('submitMany', () => {
  it('submits every spec once, in one exec, and keeps each script byte for byte', async () => {
    const runner = new FakeSlurmRunner();
    const scripts = new Map([
      ['sh-q-0-aa', NASTY],
      ['sh-q-1-bb', 'WANT_REJECT'],
      ['sh-q-2-cc', 'WANT_WARN'],
      ['sh-q-3-dd', 'plain'],
    ]);
    const results = await submitMany(runner, [...scripts.keys()].map(spec), {
      renderScript: (s) => scripts.get(s.tag) ?? '',
      perJobTimeoutMs: 5_000,
    });
    expect(runner.commands).toHaveLength(1);
    expect(results.get('sh-q-0-aa')).toMatchObject({ kind: 'submitted' });
    expect(readFileSync(join(dir, 'sh-q-0-aa.sh'), 'utf8')).toBe(NASTY);
    expect(results.get('sh-q-1-bb')).toEqual({
      kind: 'rejected',
      error:
        'invalid partition specified: nope\nBatch job submission failed: Invalid partition name specified',
    });
    expect(results.get('sh-q-2-cc')).toMatchObject({
      kind: 'submitted',
      warnings: `sbatch: Warning: line one\nsbatch: Warning: ${dir} line two`,
    });
    expect(results.get('sh-q-3-dd')).toMatchObject({ kind: 'submitted' });
  });

  it('bounds a busy sbatch, leaves it uncertain and skips the rest as not submitted', async () => {
    const runner = new FakeSlurmRunner();
    const scripts = new Map([
      ['sh-b-0-aa', 'plain'],
      ['sh-b-1-bb', 'WANT_BUSY'],
      ['sh-b-2-cc', 'plain'],
    ]);
    const results = await submitMany(runner, [...scripts.keys()].map(spec), {
      renderScript: (s) => scripts.get(s.tag) ?? '',
      perJobTimeoutMs: 1_000,
    });
    expect(results.get('sh-b-0-aa')).toMatchObject({ kind: 'submitted' });
    const busy = results.get('sh-b-1-bb');
    expect(busy?.kind).toBe('uncertain');
    expect(busy?.kind === 'uncertain' ? busy.message : '').toContain('not accepting jobs');
    expect(results.get('sh-b-2-cc')).toMatchObject({ kind: 'notSubmitted' });
  });

  it('splits large batches into several execs', async () => {
    const runner = new FakeSlurmRunner();
    const tags = Array.from({ length: 5 }, (_, i) => `sh-s-${i}-ee`);
    const results = await submitMany(runner, tags.map(spec), {
      renderScript: () => 'x'.repeat(3000),
      perJobTimeoutMs: 5_000,
      maxJobsPerExec: 2,
    });
    expect(runner.commands).toHaveLength(3);
    expect([...results.values()].every((r) => r.kind === 'submitted')).toBe(true);
  });

  it('marks every spec of a failed exec uncertain, or not submitted when it never started', async () => {
    const failing = (details: Record<string, unknown>): CommandRunner => ({
      run: () => Promise.reject(new CoreError('COMMAND_TIMEOUT', 'timed out', details)),
    });
    const o = { renderScript: () => 'x', perJobTimeoutMs: 1_000 };
    const lost = await submitMany(failing({}), [spec('sh-f-0-aa')], o);
    expect(lost.get('sh-f-0-aa')).toMatchObject({ kind: 'uncertain' });
    const never = await submitMany(failing({ started: false }), [spec('sh-f-0-aa')], o);
    expect(never.get('sh-f-0-aa')).toMatchObject({ kind: 'notSubmitted' });
  });
});

describe('parseSbatchLoopOutput', () => {
  const b64 = (s: string): string => Buffer.from(s).toString('base64');
  it('reads marker lines, ignores other output, and reports a missing marker', () => {
    const stdout = [
      'motd noise',
      `@m@ sh-a 0 r:42 b:${b64('sbatch: Warning: a\nb\n')}`,
      `@m@ sh-d 0 b:${b64('43;other\nnoise\n')} b:`,
      '@other@ sh-b 0 x y',
      `@m@ sh-c skip`,
      '',
    ].join('\n');
    const out = parseSbatchLoopOutput(stdout, '@m@', ['sh-a', 'sh-b', 'sh-c', 'sh-d']);
    expect(out.get('sh-d')).toMatchObject({ kind: 'sbatch', outcome: { kind: 'unknown' } });
    expect(out.get('sh-a')).toEqual({
      kind: 'sbatch',
      outcome: {
        kind: 'submitted',
        schedulerJobId: '42',
        cluster: null,
        warnings: 'sbatch: Warning: a\nb',
      },
    });
    expect(out.get('sh-b')).toEqual({ kind: 'missing' });
    expect(out.get('sh-c')).toEqual({ kind: 'skipped' });
  });

  it('treats a killed sbatch as having no exit status', () => {
    const out = parseSbatchLoopOutput(`@m@ sh-a 143 r: b:\n`, '@m@', ['sh-a']);
    expect(out.get('sh-a')).toMatchObject({ kind: 'sbatch', outcome: { kind: 'unknown' } });
  });

  it('puts each script in single quotes as base64 and the tag as one shell word', () => {
    const command = sbatchLoopCommand([{ tag: 'sh-x-1-ab', script: "'; rm -rf / #" }], '@m@', 5);
    expect(command).toContain(`b sh-x-1-ab '${b64("'; rm -rf / #")}'`);
  });
});
