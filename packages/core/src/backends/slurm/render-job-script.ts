import type { SubmitSpec } from '../backend';
import { shellQuotePath } from '../../runtime/command-runner';
import { CoreError } from '../../runtime/errors';
import { SCRIPTHUT_COMMENT_PREFIX } from './parse-squeue';

/** Tags end up in a comment line and in squeue/sacct output: keep them to one plain word. */
const TAG = /^[A-Za-z0-9_.:-]{1,128}$/;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_RUNS = /[\u0000-\u001f\u007f]+/g;

/**
 * The batch script for `sbatchCommand()`, sent on stdin.
 *
 * Data and code are kept apart:
 * - name, partition, account, memory, time and paths are data. They go into
 *   `#SBATCH` values in double quotes with `\` and `"` escaped, which is how
 *   sbatch reads directive arguments (so `#`, `'`, `|`, spaces and `$()` stay
 *   literal). A directive cannot span lines: control characters in the name
 *   become one space each run (the name is only a label); in any other value
 *   they are refused.
 * - the working directory is quoted for the shell, `~` meaning home.
 * - the command is shell code and is the script body, verbatim, after
 *   `set -o pipefail`. sbatch stops reading directives at the first command,
 *   so `#SBATCH` lines inside the command are not directives.
 *
 * Output paths are Slurm filename patterns: `%j`, `%A`, `%a`… are expanded by
 * Slurm, `%%` is a literal `%`. Slurm does not expand `~`, so `~/x` is written
 * as `x`: relative paths are relative to the directory sbatch runs in, which
 * sbatchCommand() makes the home directory.
 *
 * @throws CoreError INVALID_INPUT for a tag that is not one plain word, a
 *   non-positive or fractional cpu count, an empty value, or a control
 *   character in anything but the name and the command.
 */
export function renderJobScript(spec: SubmitSpec): string {
  if (!TAG.test(spec.tag)) invalid(`tag must match ${String(TAG)}: ${JSON.stringify(spec.tag)}`);
  if (!Number.isInteger(spec.cpus) || spec.cpus < 1)
    invalid(`cpus must be a positive integer: ${spec.cpus}`);
  if (spec.workingDir === '') invalid('workingDir is empty');

  const directives: [string, string][] = [
    ['job-name', sanitizeJobName(spec.name)],
    ...optional('partition', spec.partition),
    ...optional('account', spec.account),
    ['cpus-per-task', String(spec.cpus)],
    ['mem', value('memory', spec.memory)],
    ['time', value('timeLimit', spec.timeLimit)],
    ...optional('output', spec.stdoutPath === null ? null : value('stdoutPath', slurmPath(spec.stdoutPath))),
    ...optional('error', spec.stderrPath === null ? null : value('stderrPath', slurmPath(spec.stderrPath))),
    ['comment', `${SCRIPTHUT_COMMENT_PREFIX}${spec.tag}`],
  ];
  const command = spec.command.endsWith('\n') ? spec.command : `${spec.command}\n`;
  return [
    '#!/bin/bash',
    ...directives.map(([option, text]) => `#SBATCH --${option}=${directiveQuote(text)}`),
    `# scripthut-tag: ${spec.tag}`,
    'set -o pipefail',
    `cd -- ${shellQuotePath(spec.workingDir ?? '~')} || exit 1`,
    command,
  ].join('\n');
}

/** Control characters in a job name (a newline would end the directive) become one space per run. */
export function sanitizeJobName(name: string): string {
  const cleaned = name.replace(CONTROL_RUNS, ' ').trim();
  return cleaned === '' ? 'scripthut-job' : cleaned;
}

/** A directive for a value that may be null (Slurm then uses its default). */
function optional(option: string, text: string | null): [string, string][] {
  return text === null ? [] : [[option, value(option, text)]];
}

function value(field: string, text: string): string {
  if (text === '') invalid(`${field} is empty`);
  if (CONTROL.test(text)) invalid(`${field} contains a control character: ${JSON.stringify(text)}`);
  return text;
}

/** sbatch reads a directive argument like a shell word: `\` escapes, quotes group. */
function directiveQuote(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** `~/logs/x.out` -> `logs/x.out` (relative to home, see renderJobScript). */
function slurmPath(path: string): string {
  if (path === '~' || path === '~/') invalid(`not a file path: ${path}`);
  return path.startsWith('~/') ? path.slice(2) : path;
}

function invalid(message: string): never {
  throw new CoreError('INVALID_INPUT', message);
}
