import type { SubmitSpec } from '../backend';
import { runTaskInput, type RunTaskSettings } from './run-task-input';

/**
 * What a queue stores and dry run shows for a task: the RunTask request
 * ScriptHut sends, as JSON. `settings.container` may be a description of the
 * container when the task definition has not been read yet.
 */
export function renderEcsTask(spec: SubmitSpec, settings: RunTaskSettings): string {
  const built = runTaskInput(spec, settings);
  if (!built.ok) return `# not sendable: ${built.error}\n`;
  return `# ECS RunTask on cluster ${settings.cluster}; the container runs the command as bash -c <command>\n${JSON.stringify(built.input, null, 2)}\n`;
}
