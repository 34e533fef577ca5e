import { describe, expect, it } from 'vitest';
import { parseTaskSourceOutput } from '../queue/parse-task-source';
import { LocalCommandRunner } from '../runtime/local-command-runner';
import { defaultConfig } from './default-config';

describe('defaultConfig', () => {
  it('has one local cluster and an examples source whose command prints valid tasks with plain bash', async () => {
    const config = defaultConfig();
    expect(config.clusters).toMatchObject([{ name: 'local', type: 'local' }]);
    const source = config.task_sources[0]!;
    expect(source).toMatchObject({ name: 'examples', cluster: 'local' });
    const result = await new LocalCommandRunner('/', { PATH: '/usr/bin:/bin' }).run(source.command);
    expect(result.exitCode).toBe(0);
    const tasks = parseTaskSourceOutput(result.stdout, source.name);
    expect(tasks.map((t) => t.id)).toEqual(['hello', 'count', 'where', 'stderr', 'fails', 'slow']);
  });
});
