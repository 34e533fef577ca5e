/**
 * Task sources of the e2e server (queues.spec.ts). Each command prints its
 * tasks as JSON; the JSON holds no single quote, so `echo '…'` prints it as is.
 */
const printJson = (tasks: readonly Record<string, unknown>[]): string => {
  const json = JSON.stringify(tasks);
  if (json.includes("'")) throw new Error('task JSON must not contain a single quote');
  return `echo '${json}'`;
};

/** On the local cluster: ticker first (it is followed live), then quick tasks, one failing with exit 2. */
export const LOCAL_TASKS = [
  {
    id: 'ticker',
    name: 'Ticker',
    command: 'for i in $(seq 1 16); do echo "tick $i"; sleep 0.5; done',
  },
  { id: 'ok-1', name: 'First OK', command: 'echo one' },
  { id: 'fails', name: 'Exits with 2', command: 'echo "about to fail" >&2; exit 2' },
  { id: 'ok-2', name: 'Second OK', command: 'echo two' },
] as const;

export const SLOW_TASKS = [1, 2, 3, 4].map((n) => ({
  id: `slow-${n}`,
  name: `Slow ${n}`,
  command: 'sleep 120',
}));

/** On the Slurm testbed, no partition: Slurm's default partition (`debug`) takes them. */
export const SLURM_TASKS = [1, 2, 3, 4, 5].map((n) => ({
  id: `hello-${n}`,
  name: `e2e-queue-hello-${n}`,
  command: `echo "hello from task ${n}"; sleep 1`,
  memory: '64M',
  time_limit: '5',
}));

export const E2E_TASK_SOURCES = [
  {
    name: 'e2e-local',
    cluster: 'local',
    command: printJson(LOCAL_TASKS),
    max_concurrent: 2,
    description: 'Four short local tasks, one failing',
  },
  {
    name: 'e2e-slow',
    cluster: 'local',
    command: printJson(SLOW_TASKS),
    max_concurrent: 2,
    description: 'Long sleeps, to cancel',
  },
  {
    name: 'e2e-slurm',
    cluster: 'testbed',
    command: printJson(SLURM_TASKS),
    max_concurrent: 2,
    description: 'Five short jobs on the testbed',
  },
];
