/**
 * Task sources of the e2e server (queues.spec.ts, aws-clusters.spec.ts). Each command prints its
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

/** On the Slurm testbed: tasks that ask for far more memory than they use (the queue page suggests less). */
export const OVERSIZED_TASKS = [1, 2].map((n) => ({
  id: `big-${n}`,
  name: `e2e-oversized-${n}`,
  command: `echo "task ${n}"; sleep 1`,
  memory: '1G',
  time_limit: '5',
}));

/** On the Slurm testbed: two tasks that ask 1G and use a few MB, one of them failing (a retry can ask less). */
export const OVERSIZED_FAILING_TASKS = [
  {
    id: 'lean-ok',
    name: 'e2e-lean-ok',
    command: 'echo lean; sleep 1',
    memory: '1G',
    time_limit: '5',
  },
  {
    id: 'lean-fails',
    name: 'e2e-lean-fails',
    command: 'echo lean; sleep 1; exit 1',
    memory: '1G',
    time_limit: '5',
  },
] as const;

/** On the local cluster: a diamond (prep → left, broken → merge → report) whose broken branch fails, and one independent task. */
export const DEPENDENCY_TASKS = [
  { id: 'prep', name: 'Prepare', command: 'echo prep' },
  { id: 'left', name: 'Left branch', command: 'sleep 1; echo left', depends_on: ['prep'] },
  {
    id: 'broken',
    name: 'Broken branch',
    command: 'echo "broken" >&2; exit 4',
    depends_on: ['prep'],
  },
  { id: 'merge', name: 'Merge', command: 'echo merge', depends_on: ['left', 'broken'] },
  { id: 'report', name: 'Report', command: 'echo report', depends_on: ['merge'] },
  { id: 'side', name: 'Independent', command: 'echo side' },
] as const;

/** On the Slurm testbed: a task that runs out of memory at 64M (300 MiB asked), one that needs it, one beside them. */
export const SLURM_OOM_TASKS = [
  {
    id: 'hog',
    name: 'e2e-retry-hog',
    command: 'python3 -c "b = bytearray(300 * 1024 * 1024); print(len(b))"',
    memory: '64M',
    time_limit: '5',
  },
  {
    id: 'use-hog',
    name: 'e2e-retry-use',
    command: 'echo used',
    memory: '50M',
    time_limit: '5',
    depends_on: ['hog'],
  },
  { id: 'side', name: 'e2e-retry-side', command: 'echo side', memory: '50M', time_limit: '5' },
] as const;

/** A real memory hog: 300 MiB against a 64 MiB limit. */
const MEMORY_HOG = 'python3 -c "b = bytearray(300 * 1024 * 1024); import time; time.sleep(5)"';

/** On the AWS Batch queue (aws-testbed): ticker first (followed live), then every way a job ends. */
export const BATCH_TASKS = [
  {
    id: 'ticker',
    name: 'Batch ticker',
    command: 'for i in $(seq 1 20); do echo "batch tick $i"; sleep 0.5; done',
  },
  { id: 'ok', name: 'Batch OK', command: 'echo "hello from batch"' },
  { id: 'fails', name: 'Batch exits 3', command: 'echo "about to fail" >&2; exit 3' },
  { id: 'oom', name: 'Batch memory hog', command: MEMORY_HOG, memory: '64M' },
  { id: 'timeout', name: 'Batch over its limit', command: 'sleep 120', time_limit: '1:00' },
] as const;

/** On the ECS cluster (aws-testbed, Fargate). */
export const ECS_TASKS = [
  {
    id: 'ticker',
    name: 'ECS ticker',
    command: 'for i in $(seq 1 20); do echo "ecs tick $i"; sleep 0.5; done',
  },
  { id: 'ok', name: 'ECS OK', command: 'echo "hello from ecs"' },
  { id: 'fails', name: 'ECS exits 4', command: 'exit 4' },
  { id: 'oom', name: 'ECS memory hog', command: MEMORY_HOG, memory: '64M' },
] as const;

/** A long queue: its page must keep only a window of rows in the DOM. */
export const MANY_TASK_COUNT = 5_000;
/** `many-0000` … `many-4999`, printed by awk (the tasks inline would pass the 128 KiB command limit). */
const MANY_TASKS_COMMAND =
  `seq 0 ${MANY_TASK_COUNT - 1} | awk 'BEGIN { printf "[" } ` +
  `{ printf "%s{\\"id\\":\\"many-%04d\\",\\"name\\":\\"Many %d\\",\\"command\\":\\"sleep 300\\"}", (NR > 1 ? "," : ""), $1, $1 } ` +
  `END { print "]" }'`;

const holdTask = (label: string) => [{ id: 'hold', name: `${label} hold`, command: 'sleep 300' }];

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
    name: 'e2e-cards',
    cluster: 'local-cards',
    command: printJson(SLOW_TASKS),
    max_concurrent: 2,
    description: 'Long sleeps on a cluster no other journey uses, to count',
  },
  {
    name: 'e2e-many',
    cluster: 'local',
    command: MANY_TASKS_COMMAND,
    max_concurrent: 1,
    description: `${MANY_TASK_COUNT.toLocaleString('en-US')} long sleeps, one at a time, to scroll through`,
  },
  {
    name: 'e2e-slurm',
    cluster: 'testbed',
    command: printJson(SLURM_TASKS),
    max_concurrent: 2,
    description: 'Five short jobs on the testbed',
  },
  {
    name: 'e2e-slurm-oversized',
    cluster: 'testbed',
    command: printJson(OVERSIZED_TASKS),
    max_concurrent: 2,
    description: 'Two small jobs on the testbed that ask for 1G each',
  },
  {
    name: 'e2e-slurm-lean-fails',
    cluster: 'testbed',
    command: printJson(OVERSIZED_FAILING_TASKS),
    max_concurrent: 2,
    description: 'Two jobs on the testbed that ask 1G, use a few MB, one failing',
  },
  {
    name: 'e2e-deps',
    cluster: 'local',
    command: printJson(DEPENDENCY_TASKS),
    max_concurrent: 3,
    description: 'A dependency diamond with a failing branch',
  },
  {
    name: 'e2e-slurm-oom',
    cluster: 'testbed',
    command: printJson(SLURM_OOM_TASKS),
    max_concurrent: 2,
    description: 'A task that runs out of memory, to retry with more',
  },
  {
    name: 'e2e-batch',
    cluster: 'aws-batch',
    command: printJson(BATCH_TASKS),
    max_concurrent: 5,
    description: 'Five Batch jobs: ok, exit 3, out of memory, timeout',
  },
  {
    name: 'e2e-batch-hold',
    cluster: 'aws-batch',
    command: printJson(holdTask('Batch')),
    description: 'One long Batch job, to cancel',
  },
  {
    name: 'e2e-ecs',
    cluster: 'aws-ecs',
    command: printJson(ECS_TASKS),
    max_concurrent: 4,
    description: 'Four ECS tasks: ok, exit 4, out of memory',
  },
  {
    name: 'e2e-ecs-hold',
    cluster: 'aws-ecs',
    command: printJson(holdTask('ECS')),
    description: 'One long ECS task, to cancel',
  },
];
