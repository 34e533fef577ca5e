import type { TaskSpec } from '../domain/task';
import type { CommandRunner } from '../runtime/command-runner';
import { isCoreError } from '../runtime/errors';
import { parseTaskSourceOutput, TASK_SOURCE_LIMITS, taskSourceError } from './parse-task-source';

export const TASK_SOURCE_TIMEOUT_MS = 120_000;
const STDERR_SHOWN_CHARS = 2_000;

/**
 * Runs a task source's command on its cluster and validates what it prints.
 * A non-zero exit, a signal, or output over the limit is TASK_SOURCE_INVALID;
 * transport failures (SSH down, timeout) keep their own codes.
 */
export async function fetchTaskSource(
  runner: CommandRunner,
  source: { name: string; command: string },
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
