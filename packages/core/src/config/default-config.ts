import { shellQuote } from '../runtime/command-runner';
import { ScripthutConfig } from './schema';

/** Short tasks that show a queue at work within a minute: output, stderr, a failure with exit code 2. */
const EXAMPLE_TASKS = [
  { id: 'hello', name: 'Say hello', command: 'echo "Hello from $(hostname) as $(whoami)"; sleep 3' },
  { id: 'count', name: 'Count to five', command: 'for i in 1 2 3 4 5; do echo "step $i of 5"; sleep 1; done' },
  { id: 'where', name: 'Show the working directory', command: 'echo "running in $(pwd)"; ls -a | sed -n 1,5p; sleep 2' },
  { id: 'stderr', name: 'Write to the error log', command: 'echo "this line goes to the output log"; echo "this one to the error log" >&2; sleep 2' },
  { id: 'fails', name: 'Fail with exit code 2', command: 'echo "about to fail"; sleep 2; exit 2' },
  { id: 'slow', name: 'Take ten seconds', command: 'for i in $(seq 1 10); do echo "second $i"; sleep 1; done' },
];

/**
 * The configuration used when there is no config file: one local cluster
 * and an `examples` task source, so a first start shows a queue running.
 * The command needs only bash and coreutils.
 */
export function defaultConfig(): ScripthutConfig {
  return ScripthutConfig.parse({
    clusters: [{ name: 'local', type: 'local', max_concurrent: 4 }],
    task_sources: [
      {
        name: 'examples',
        cluster: 'local',
        command: `printf '%s\\n' ${shellQuote(JSON.stringify(EXAMPLE_TASKS))}`,
        max_concurrent: 3,
        description: 'Six short example tasks on this machine (one fails on purpose)',
      },
    ],
  });
}
