import type { z } from 'zod';
import { closestMatch } from '../config/closest-match';
import { REFUSED_TASK_FIELDS, TaskSpec } from '../domain/task';
import { CoreError } from '../runtime/errors';
import { dependencyIssues } from './check-dependencies';
import { locateJsonError } from './locate-json-error';

/** Stated limits of a task source's output. */
export const TASK_SOURCE_LIMITS = {
  outputBytes: 10 * 1024 * 1024,
  tasks: 50_000,
  /** Field problems listed in one error; the count of the rest is given. */
  reportedIssues: 20,
} as const;

const EXPECTED_SHAPE = 'a JSON array of tasks, or an object {"tasks": [...]}';
const TASK_FIELDS = Object.keys(TaskSpec.shape);
/** The original's spelling of `depends_on`, accepted with the same meaning. */
const DEPS_ALIAS = 'deps';

export type TaskSourceProblem =
  | 'command_failed'
  | 'command_too_long'
  | 'too_large'
  | 'not_json'
  | 'wrong_shape'
  | 'invalid_tasks'
  | 'duplicate_id'
  | 'empty'
  | 'too_many_tasks';

export interface TaskIssue {
  /** Position in the task list, from 0. */
  index: number;
  /** The task's id when it has a usable one. */
  taskId: string | null;
  /** Field name, or null when the task itself is wrong (not an object). */
  field: string | null;
  message: string;
}

/** Every task-source failure: CoreError TASK_SOURCE_INVALID with `details.problem`. */
export function taskSourceError(
  source: string,
  problem: TaskSourceProblem,
  message: string,
  details: Record<string, unknown> = {},
): CoreError {
  return new CoreError('TASK_SOURCE_INVALID', `Task source "${source}": ${message}`, { source, problem, ...details });
}

/**
 * Validates a task source's output: an array of tasks or `{"tasks": [...]}`.
 * All or nothing: any problem throws TASK_SOURCE_INVALID and no task is
 * returned. Defaults are applied (working_dir `~`, cpus 1, memory 4G…).
 * Dependencies (`depends_on`, or `deps`) must name other tasks of the list
 * and form no cycle.
 */
export function parseTaskSourceOutput(stdout: string, sourceName: string): TaskSpec[] {
  const bytes = new TextEncoder().encode(stdout).length;
  if (bytes > TASK_SOURCE_LIMITS.outputBytes) {
    throw taskSourceError(sourceName, 'too_large', `printed ${bytes} bytes, more than the limit of ${TASK_SOURCE_LIMITS.outputBytes} bytes (10 MB)`);
  }
  if (stdout.trim() === '') {
    throw taskSourceError(sourceName, 'not_json', `printed nothing; expected ${EXPECTED_SHAPE}`, { head: '' });
  }
  let data: unknown;
  try {
    data = JSON.parse(stdout);
  } catch {
    const at = locateJsonError(stdout);
    const head = stdout.slice(0, 80);
    const where = at ? `line ${at.line}, column ${at.column}: expected ${at.expected} but found ${at.found}` : 'invalid JSON';
    throw taskSourceError(sourceName, 'not_json', `output is not JSON (${where}). It starts with: ${JSON.stringify(head)}`, {
      line: at?.line ?? null,
      column: at?.column ?? null,
      head,
    });
  }
  const list = taskList(data, sourceName);
  if (list.length === 0) throw taskSourceError(sourceName, 'empty', 'printed an empty task list; there is nothing to run');
  if (list.length > TASK_SOURCE_LIMITS.tasks) {
    throw taskSourceError(sourceName, 'too_many_tasks', `printed ${list.length} tasks, more than the limit of ${TASK_SOURCE_LIMITS.tasks}`);
  }
  const tasks: TaskSpec[] = [];
  const spelled: string[] = [];
  const issues: TaskIssue[] = [];
  list.forEach((given, index) => {
    const { raw, field, conflict } = withDependsOn(given);
    if (conflict) issues.push({ index, taskId: idOf(given), field: DEPS_ALIAS, message: 'and "depends_on" are the same field; give only one of them' });
    const parsed = TaskSpec.safeParse(raw);
    if (parsed.success) {
      tasks.push(parsed.data);
      spelled.push(field);
    } else issues.push(...describeIssues(raw, index, parsed.error.issues, field));
  });
  if (issues.length > 0) throw invalidTasks(sourceName, issues);
  checkUniqueIds(tasks, sourceName);
  const dependencies = dependencyIssues(tasks.map((t, i) => ({ id: t.id, dependsOn: t.depends_on, field: spelled[i]! })));
  if (dependencies.length > 0) throw invalidTasks(sourceName, dependencies);
  return tasks;
}

/** The task with `deps` read as `depends_on`; `field` is the spelling it used. */
function withDependsOn(raw: unknown): { raw: unknown; field: string; conflict: boolean } {
  if (!isRecord(raw) || !(DEPS_ALIAS in raw)) return { raw, field: 'depends_on', conflict: false };
  const { [DEPS_ALIAS]: deps, ...rest } = raw;
  if ('depends_on' in raw) return { raw: rest, field: 'depends_on', conflict: true };
  return { raw: { ...rest, depends_on: deps }, field: DEPS_ALIAS, conflict: false };
}

const idOf = (raw: unknown): string | null => (isRecord(raw) && typeof raw.id === 'string' && raw.id !== '' ? raw.id.slice(0, 128) : null);

function taskList(data: unknown, source: string): unknown[] {
  if (Array.isArray(data)) return data;
  if (isRecord(data)) {
    if (!('tasks' in data)) {
      const keys = Object.keys(data).slice(0, 10).join(', ') || 'none';
      throw taskSourceError(source, 'wrong_shape', `printed a JSON object without a "tasks" key (its keys: ${keys}); expected ${EXPECTED_SHAPE}`);
    }
    if (Array.isArray(data.tasks)) return data.tasks;
    throw taskSourceError(source, 'wrong_shape', `"tasks" is ${describeValue(data.tasks)}; expected an array of tasks`);
  }
  throw taskSourceError(source, 'wrong_shape', `printed ${describeValue(data)}; expected ${EXPECTED_SHAPE}`);
}

function describeIssues(raw: unknown, index: number, zodIssues: readonly z.core.$ZodIssue[], dependsOnField: string): TaskIssue[] {
  if (!isRecord(raw)) return [{ index, taskId: null, field: null, message: `is ${describeValue(raw)}, expected an object` }];
  const taskId = idOf(raw);
  return zodIssues.flatMap((issue): TaskIssue[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ index, taskId, field: key, message: unknownFieldMessage(key) }));
    }
    const path = issue.path.map(String);
    if (path[0] === 'depends_on') path[0] = dependsOnField;
    const field = path.join('.') || null;
    const value = issue.path.reduce<unknown>((v, key) => (isRecord(v) || Array.isArray(v) ? (v as Record<PropertyKey, unknown>)[key] : undefined), raw);
    let message: string;
    if (value === undefined) message = 'is required but missing';
    else if (issue.path[0] === 'depends_on' && typeof value === 'string' && value.includes('*')) {
      message = `cannot hold a pattern (got ${describeValue(value)}); list the task ids it depends on`;
    }
    else if (issue.code === 'invalid_type') message = `expected ${issue.expected}, got ${describeValue(value)}`;
    else message = `${issue.message} (got ${describeValue(value)})`;
    return [{ index, taskId, field, message }];
  });
}

function unknownFieldMessage(key: string): string {
  const refused = REFUSED_TASK_FIELDS[key];
  if (refused !== undefined) return `is not accepted: ${refused}`;
  const prefix = key.toLowerCase().slice(0, 4);
  const guess = closestMatch(key, TASK_FIELDS) ?? (prefix.length === 4 ? TASK_FIELDS.find((f) => f.startsWith(prefix)) : undefined);
  return `is not a task field${guess ? ` (did you mean "${guess}"?)` : ''}; the fields are ${TASK_FIELDS.join(', ')}`;
}

export function invalidTasks(source: string, issues: TaskIssue[]): CoreError {
  const shown = issues.slice(0, TASK_SOURCE_LIMITS.reportedIssues);
  const lines = shown.map(formatIssue);
  const more = issues.length - shown.length;
  if (more > 0) lines.push(`… and ${more} more problem(s)`);
  const taskCount = new Set(issues.map((i) => i.index)).size;
  return taskSourceError(source, 'invalid_tasks', `${taskCount} invalid task(s):\n${lines.join('\n')}`, {
    issues: shown,
    issueCount: issues.length,
  });
}

export function formatIssue(issue: TaskIssue): string {
  const task = `tasks[${issue.index}]${issue.taskId === null ? '' : ` (id ${JSON.stringify(issue.taskId)})`}`;
  return issue.field === null ? `${task} ${issue.message}` : `${task} field "${issue.field}" ${issue.message}`;
}

function checkUniqueIds(tasks: readonly TaskSpec[], source: string): void {
  const first = new Map<string, number>();
  for (const [index, task] of tasks.entries()) {
    const earlier = first.get(task.id);
    if (earlier !== undefined) {
      throw taskSourceError(source, 'duplicate_id', `tasks[${earlier}] and tasks[${index}] have the same id ${JSON.stringify(task.id)}; task ids must be unique`, {
        taskId: task.id,
        indexes: [earlier, index],
      });
    }
    first.set(task.id, index);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short, bounded description of a JSON value for error messages. */
function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return `${shown} (${typeof value})`;
}
