import { describe, expect, it } from 'vitest';
import type { CommandResult, CommandRunner, RunOptions } from '../runtime/command-runner';
import { CoreError } from '../runtime/errors';
import { LocalCommandRunner } from '../runtime/local-command-runner';
import { fetchTaskSource } from './fetch-task-source';
import { parseTaskSourceOutput, TASK_SOURCE_LIMITS } from './parse-task-source';

function failure(run: () => unknown): CoreError {
  try {
    run();
  } catch (e) {
    if (e instanceof CoreError) return e;
    throw e;
  }
  throw new Error('expected a CoreError');
}

const task = (id: string, extra: Record<string, unknown> = {}) => ({ id, name: `Task ${id}`, command: `echo ${id}`, ...extra });

describe('parseTaskSourceOutput accepts', () => {
  it('an array, applying the seed defaults (partition null, never "normal")', () => {
    expect(parseTaskSourceOutput(JSON.stringify([task('a')]), 's')).toEqual([
      { id: 'a', name: 'Task a', command: 'echo a', working_dir: '~', partition: null, cpus: 1, memory: '4G', time_limit: '1:00:00', depends_on: [] },
    ]);
  });

  it('an object with a tasks array, keeping given values', () => {
    const out = parseTaskSourceOutput(
      JSON.stringify({ tasks: [task('a', { partition: 'gpu', cpus: 4, memory: '500M', time_limit: '2-00:00:00', working_dir: '/scratch/x y' })] }),
      's',
    );
    expect(out[0]).toMatchObject({ partition: 'gpu', cpus: 4, memory: '500M', time_limit: '2-00:00:00', working_dir: '/scratch/x y' });
  });
});

const bad: { case: string; stdout: string; problem: string; message: RegExp; details?: Record<string, unknown> }[] = [
  { case: 'empty output', stdout: '  \n', problem: 'not_json', message: /printed nothing/ },
  {
    case: 'not JSON, with line, column and first bytes',
    stdout: '[\n  {"id": "a",}\n]',
    problem: 'not_json',
    message: /line 2, column 14: expected a key in double quotes but found "}".*starts with: "\[\\n {2}\{\\"id\\": \\"a\\",}\\n]"/s,
    details: { line: 2, column: 14 },
  },
  { case: 'truncated JSON', stdout: '[{"id": "a"', problem: 'not_json', message: /line 1, column 12: expected "," or "}" but found end of input/ },
  { case: 'log text before the JSON', stdout: 'Loading...\n[]', problem: 'not_json', message: /line 1, column 1: expected a value/ },
  { case: 'a scalar', stdout: '42', problem: 'wrong_shape', message: /printed 42 \(number\); expected a JSON array of tasks/ },
  { case: 'an object without tasks', stdout: '{"jobs": []}', problem: 'wrong_shape', message: /without a "tasks" key \(its keys: jobs\)/ },
  { case: 'tasks not an array', stdout: '{"tasks": {"a": 1}}', problem: 'wrong_shape', message: /"tasks" is an object; expected an array/ },
  { case: 'an empty list', stdout: '[]', problem: 'empty', message: /empty task list/ },
  { case: 'an empty tasks object', stdout: '{"tasks": []}', problem: 'empty', message: /empty task list/ },
  { case: 'a task that is not an object', stdout: JSON.stringify([task('a'), 'b']), problem: 'invalid_tasks', message: /tasks\[1\] is "b" \(string\), expected an object/ },
  {
    case: 'a missing required field, with index and id',
    stdout: JSON.stringify([task('a'), { id: 'b', name: 'B' }]),
    problem: 'invalid_tasks',
    message: /tasks\[1\] \(id "b"\) field "command" is required but missing/,
  },
  {
    case: 'a mistyped field: expected vs got',
    stdout: JSON.stringify([task('a', { cpus: 'two' })]),
    problem: 'invalid_tasks',
    message: /tasks\[0\] \(id "a"\) field "cpus" expected number, got "two" \(string\)/,
  },
  { case: 'a numeric id', stdout: JSON.stringify([{ ...task('a'), id: 7 }]), problem: 'invalid_tasks', message: /tasks\[0\] field "id" expected string, got 7 \(number\)/ },
  { case: 'an unsafe id', stdout: JSON.stringify([task('../etc')]), problem: 'invalid_tasks', message: /field "id" letters, digits/ },
  { case: 'a newline in the name', stdout: JSON.stringify([task('a', { name: 'x\n#SBATCH --uid=0' })]), problem: 'invalid_tasks', message: /field "name" no control characters/ },
  { case: 'a malformed memory', stdout: JSON.stringify([task('a', { memory: '4G --wrap=x' })]), problem: 'invalid_tasks', message: /field "memory" a size such as/ },
  { case: 'a malformed time limit', stdout: JSON.stringify([task('a', { time_limit: 'soon' })]), problem: 'invalid_tasks', message: /field "time_limit" a Slurm time/ },
  { case: 'a typo, with a suggestion', stdout: JSON.stringify([task('a', { workdir: '/x' })]), problem: 'invalid_tasks', message: /field "workdir" is not a task field \(did you mean "working_dir"\?\)/ },
  { case: 'output_file is refused', stdout: JSON.stringify([task('a', { output_file: '/etc/x' })]), problem: 'invalid_tasks', message: /field "output_file" is not accepted: logs always go to/ },
  {
    case: 'duplicate ids, naming both indexes',
    stdout: JSON.stringify([task('a'), task('b'), task('a')]),
    problem: 'duplicate_id',
    message: /tasks\[0\] and tasks\[2\] have the same id "a"/,
    details: { indexes: [0, 2], taskId: 'a' },
  },
  { case: 'output over the size limit', stdout: `[${' '.repeat(TASK_SOURCE_LIMITS.outputBytes)}]`, problem: 'too_large', message: /more than the limit of 10485760 bytes/ },
];

describe('parseTaskSourceOutput rejects, precisely and all-or-nothing,', () => {
  it.each(bad)('$case', ({ stdout, problem, message, details }) => {
    const e = failure(() => parseTaskSourceOutput(stdout, 'exp'));
    expect(e.code).toBe('TASK_SOURCE_INVALID');
    expect(e.message).toMatch(/^Task source "exp": /);
    expect(e.message).toMatch(message);
    expect(e.details).toMatchObject({ source: 'exp', problem, ...details });
  });

  it('lists every problem of every task, bounded', () => {
    const tasks = Array.from({ length: 30 }, (_, i) => ({ id: `t${i}` }));
    const e = failure(() => parseTaskSourceOutput(JSON.stringify(tasks), 'exp'));
    expect(e.details).toMatchObject({ issueCount: 60 });
    expect((e.details?.issues as unknown[]).length).toBe(TASK_SOURCE_LIMITS.reportedIssues);
    expect(e.message).toMatch(/30 invalid task\(s\)/);
    expect(e.message).toMatch(/and 40 more problem\(s\)/);
  });
});

class ScriptedRunner implements CommandRunner {
  constructor(private readonly answer: (options: RunOptions) => CommandResult | Error) {}
  run(_command: string, options: RunOptions = {}): Promise<CommandResult> {
    const a = this.answer(options);
    return a instanceof Error ? Promise.reject(a) : Promise.resolve(a);
  }
}
const result = (r: Partial<CommandResult>): CommandResult => ({ stdout: '', stderr: '', exitCode: 0, signal: null, durationMs: 1, ...r });

describe('fetchTaskSource', () => {
  const source = { name: 'exp', command: 'gen-tasks' };

  it('reports a non-zero exit with its code and stderr', async () => {
    const runner = new ScriptedRunner(() => result({ exitCode: 3, stderr: 'python: No module named numpy\n' }));
    await expect(fetchTaskSource(runner, source)).rejects.toMatchObject({
      code: 'TASK_SOURCE_INVALID',
      message: 'Task source "exp": the command exited with code 3: python: No module named numpy',
      details: { problem: 'command_failed', exitCode: 3 },
    });
  });

  it('reports a command killed by a signal', async () => {
    const runner = new ScriptedRunner(() => result({ exitCode: null, signal: 'KILL' }));
    await expect(fetchTaskSource(runner, source)).rejects.toMatchObject({ message: /was killed by signal KILL and printed nothing on stderr/ });
  });

  it('enforces the output limit through the runner', async () => {
    let limit: number | undefined;
    const runner = new ScriptedRunner((o) => {
      limit = o.maxOutputBytes;
      return new CoreError('OUTPUT_TOO_LARGE', 'Output exceeded');
    });
    await expect(fetchTaskSource(runner, source)).rejects.toMatchObject({ code: 'TASK_SOURCE_INVALID', details: { problem: 'too_large' } });
    expect(limit).toBe(TASK_SOURCE_LIMITS.outputBytes);
  });

  it('says a local command too long for the operating system could not start, how long it is, the limit and what to do', async () => {
    const tasks = Array.from({ length: 3_000 }, (_, i) => task(`t${i}`));
    const long = { name: 'inline', cluster: 'local', command: `printf '%s' '${JSON.stringify(tasks)}'` };
    const bytes = Buffer.byteLength(long.command);
    expect(bytes).toBeGreaterThan(131_072);
    const runner = new LocalCommandRunner('/', { PATH: '/usr/bin:/bin' });
    await expect(fetchTaskSource(runner, long)).rejects.toMatchObject({
      code: 'TASK_SOURCE_INVALID',
      details: { source: 'inline', problem: 'command_too_long', cluster: 'local', commandBytes: bytes, limitBytes: 131_072 },
      message:
        `Task source "inline": its command is ${bytes.toLocaleString('en-US')} bytes long, too long for the operating system to start on cluster "local" ` +
        '(E2BIG; Linux takes at most 131,072 bytes in one command). ' +
        "Put the command in a script file and set the task source's command to run that script.",
    });
  });

  it('keeps transport errors as they are', async () => {
    const runner = new ScriptedRunner(() => new CoreError('SSH_UNREACHABLE', 'connection refused'));
    await expect(fetchTaskSource(runner, source)).rejects.toMatchObject({ code: 'SSH_UNREACHABLE' });
  });

  it('parses what a successful command prints', async () => {
    const runner = new ScriptedRunner(() => result({ stdout: JSON.stringify({ tasks: [task('a')] }) }));
    expect((await fetchTaskSource(runner, source)).map((t) => t.id)).toEqual(['a']);
  });
});
