import { describe, expect, it } from 'vitest';
import type { SubmitSpec } from '../backend';
import { renderJobScript, sanitizeJobName } from './render-job-script';

const spec = (extra: Partial<SubmitSpec> = {}): SubmitSpec => ({
  tag: 'q1-t1-a1',
  name: 'train',
  command: 'python train.py --lr 0.1',
  workingDir: '~/proj',
  partition: 'debug',
  cpus: 2,
  memory: '4G',
  timeLimit: '1:00:00',
  account: null,
  stdoutPath: '~/.cache/scripthut/logs/%j.out',
  stderrPath: '/scratch/logs/%j.err',
  ...extra,
});

describe('renderJobScript', () => {
  it('renders directives, the tag, pipefail, the working dir and the command', () => {
    expect(renderJobScript(spec())).toBe(
      [
        '#!/bin/bash',
        '#SBATCH --job-name="train"',
        '#SBATCH --partition="debug"',
        '#SBATCH --cpus-per-task="2"',
        '#SBATCH --mem="4G"',
        '#SBATCH --time="1:00:00"',
        '#SBATCH --output=".cache/scripthut/logs/%j.out"',
        '#SBATCH --error="/scratch/logs/%j.err"',
        '#SBATCH --comment="scripthut:q1-t1-a1"',
        '# scripthut-tag: q1-t1-a1',
        'set -o pipefail',
        `cd -- "$HOME"/proj || exit 1`,
        'python train.py --lr 0.1',
        '',
      ].join('\n'),
    );
  });

  it('leaves the partition to Slurm when it is null, and adds the account when set', () => {
    const script = renderJobScript(spec({ partition: null, account: 'lab' }));
    expect(script).not.toContain('--partition');
    expect(script).toContain('#SBATCH --account="lab"\n');
  });

  it('quotes data in directives so #, quotes, backslashes and $() stay literal', () => {
    const script = renderJobScript(
      spec({ name: `a "q" 's' # \\ | $(x) \`y\``, stdoutPath: '/tmp/a b/#1 "x".out' }),
    );
    expect(script).toContain(`#SBATCH --job-name="a \\"q\\" 's' # \\\\ | $(x) \`y\`"\n`);
    expect(script).toContain(`#SBATCH --output="/tmp/a b/#1 \\"x\\".out"\n`);
  });

  it('turns control characters in the name into spaces so the directive stays one line', () => {
    expect(sanitizeJobName('two\nlines\r\n\tand\x1fmore ')).toBe('two lines and more');
    expect(sanitizeJobName('\n')).toBe('scripthut-job');
    expect(renderJobScript(spec({ name: 'a\nb' }))).toContain('#SBATCH --job-name="a b"\n');
  });

  it('puts the command in verbatim, directives inside it included', () => {
    const command = "#SBATCH --mem=1T\necho 'it''s' \"$HOME\" $(date) `id`\n";
    const script = renderJobScript(spec({ command }));
    expect(script.endsWith(`|| exit 1\n${command}`)).toBe(true);
    expect(script.indexOf('--mem=1T')).toBeGreaterThan(script.indexOf('set -o pipefail'));
  });

  it('quotes the working dir for the shell, ~ meaning home', () => {
    expect(renderJobScript(spec({ workingDir: '~' }))).toContain('cd -- "$HOME" || exit 1\n');
    expect(renderJobScript(spec({ workingDir: "/data/it's here" }))).toContain(
      `cd -- '/data/it'\\''s here' || exit 1\n`,
    );
  });

  it.each([
    ['a tag with a space', { tag: 'a b' }],
    ['a tag with a newline', { tag: 'a\nb' }],
    ['zero cpus', { cpus: 0 }],
    ['fractional cpus', { cpus: 1.5 }],
    ['a newline in a path', { stdoutPath: '/tmp/a\nb.out' }],
    ['a newline in the memory', { memory: '1G\n#SBATCH --x' }],
    ['an empty partition', { partition: '' }],
    ['an empty working dir', { workingDir: '' }],
    ['home itself as output file', { stdoutPath: '~' }],
  ])('refuses %s', (_what, extra) => {
    expect(() => renderJobScript(spec(extra))).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }) as Error,
    );
  });
});
