import type { TaskSpec } from '../domain/task';
import type { CommandRunner } from '../runtime/command-runner';
import { isCoreError, type CoreError } from '../runtime/errors';
import { parseTaskSourceOutput, TASK_SOURCE_LIMITS, taskSourceError } from './parse-task-source';

export const TASK_SOURCE_TIMEOUT_MS = 120_000;
const STDERR_SHOWN_CHARS = 2_000;

/**
 * Runs a task source's command on its cluster and validates what it prints.
 * A non-zero exit, a signal, output over the limit, or a command too long to
 * start is TASK_SOURCE_INVALID; transport failures (SSH down, timeout) keep
 * their own codes.
 */
export async function fetchTaskSource(
  runner: CommandRunner,
  source: { name: string; command: string; cluster?: string },
  timeoutMs = TASK_SOURCE_TIMEOUT_MS,
): Promise<TaskSpec[]> {
  let result;
  try {
    result = await runner.run(source.command, { timeoutMs, maxOutputBytes: TASK_SOURCE_LIMITS.outputBytes });
  } catch (e) {
    if (isCoreError(e) && e.code === 'OUTPUT_TOO_LARGE') {
      throw taskSourceError(source.name, 'too_large', `the command printed more than the limit of ${TASK_SOURCE_LIMITS.outputBytes} bytes (10 MB)`, {
        limitBytes: TASK_SOURCE_LIMITS.outputBytes,
      });
    }
    if (isCoreError(e) && e.code === 'COMMAND_TOO_LONG') throw commandTooLong(source, e);
    throw e;
  }
  if (result.exitCode !== 0) {
    const stderr = result.stderr.trim();
    const shown = stderr.length > STDERR_SHOWN_CHARS ? `…${stderr.slice(-STDERR_SHOWN_CHARS)}` : stderr;
    const how = result.exitCode === null ? `was killed${result.signal ? ` by signal ${result.signal}` : ''}` : `exited with code ${result.exitCode}`;
    throw taskSourceError(source.name, 'command_failed', `the command ${how}${shown ? `: ${shown}` : ' and printed nothing on stderr'}`, {
      exitCode: result.exitCode,
      signal: result.signal,
      stderr: shown,
    });
  }
  return parseTaskSourceOutput(result.stdout, source.name);
}

function commandTooLong(source: { name: string; cluster?: string }, e: CoreError): CoreError {
  const commandBytes = Number(e.details?.commandBytes);
  const limitBytes = Number(e.details?.limitBytes);
  const where = source.cluster === undefined ? '' : ` on cluster "${source.cluster}"`;
  return taskSourceError(
    source.name,
    'command_too_long',
    `its command is ${commandBytes.toLocaleString('en-US')} bytes long, too long for the operating system to start${where} ` +
      `(E2BIG; Linux takes at most ${limitBytes.toLocaleString('en-US')} bytes in one command). ` +
      `Put the command in a script file and set the task source's command to run that script.`,
    { cluster: source.cluster ?? null, commandBytes, limitBytes },
  );
}
