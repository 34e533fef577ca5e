import type { Task } from '@aws-sdk/client-ecs';
import { CD_SCRIPT } from './container-command';
import {
  NAME_ENV,
  TAG_ENV,
  TAG_KEY,
  TIME_LIMIT_TAG_KEY,
  USER_TAG_KEY,
  userOfStartedBy,
} from './ecs-markers';

/** What ScriptHut left on a task it ran; every field null on anyone else's task. */
export interface TaskMarks {
  tag: string | null;
  user: string | null;
  name: string | null;
  timeLimitSeconds: number | null;
  /** The command override: the shell command line of `bash -c <command>`, else the argv joined. */
  command: string | null;
  /** The directory of containerCommand's `cd` form; null: the image's default. */
  workDir: string | null;
}

/**
 * Reads tags (present while the task lives; StopTask deletes them) and the
 * container overrides' environment (kept for as long as the task is
 * describable), so a stopped task is still recognised by its tag.
 */
export function taskMarks(task: Task): TaskMarks {
  const tags = new Map((task.tags ?? []).map((t) => [t.key ?? '', t.value ?? '']));
  const env = new Map<string, string>();
  let command: string[] | null = null;
  for (const o of task.overrides?.containerOverrides ?? []) {
    for (const e of o.environment ?? []) if (e.name !== undefined) env.set(e.name, e.value ?? '');
    if (command === null && o.command !== undefined && o.command.length > 0) command = o.command;
  }
  const limit = Number(tags.get(TIME_LIMIT_TAG_KEY));
  return {
    tag: tags.get(TAG_KEY) || env.get(TAG_ENV) || null,
    user: tags.get(USER_TAG_KEY) || userOfStartedBy(task.startedBy),
    name: env.get(NAME_ENV) || null,
    timeLimitSeconds: Number.isInteger(limit) && limit > 0 ? limit : null,
    command: command === null ? null : commandText(command),
    workDir:
      command !== null && command.length === 6 && command[2] === CD_SCRIPT ? command[4]! : null,
  };
}

/** `bash -c <line>` shows as `<line>` (with a working directory, see containerCommand: the last argument). */
function commandText(argv: readonly string[]): string {
  if (argv[0] === 'bash' && argv[1] === '-c' && argv.length >= 3)
    return argv[argv.length === 3 ? 2 : argv.length - 1]!;
  return argv.join(' ');
}
