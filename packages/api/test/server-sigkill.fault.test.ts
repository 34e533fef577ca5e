import { join } from 'node:path';
import {
  cancelQueueJobs,
  createSshConnection,
  freeLoopbackPort,
  inspectDatabase,
  readTestbed,
  testbedTarget,
  type SshConnection,
} from '@scripthut/core/testing';
import { systemClock } from '@scripthut/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditQueue,
  echoTasksCommand,
  queueStatus,
  runSource,
  writeSlurmConfig,
} from './queue-helpers';
import {
  describeKills,
  killRepeatedly,
  seededRandom,
  ServerProcess,
  waitFor,
} from './server-process';

// The server crashes (SIGKILL, no shutdown code) at random points of a
// 200-task queue on the real Slurm testbed and is started again each time.
// Fault phase: it keeps ~20 jobs queued on the testbed's two CPUs for a
// minute or more, which would slow every other integration test.
const TASKS = 200;
const FAIL_EVERY = 25;
const MIN_KILLS = 5;
const MAX_KILLS = 12;
const SEED = Number(process.env.SCRIPTHUT_FAULT_SEED ?? Date.now() % 1_000_000);

let ssh: SshConnection;
let server: ServerProcess;
let dir: string;
let queueId: string | null = null;

beforeAll(async () => {
  const env = await readTestbed();
  const target = testbedTarget(env);
  ssh = createSshConnection(target, { clock: systemClock });
  const written = writeSlurmConfig({
    ssh: {
      host: target.host,
      port: target.port,
      key: target.keyPath!,
      knownHosts: target.knownHostsPath!,
    },
    source: 'crash200',
    command: echoTasksCommand(TASKS, FAIL_EVERY),
    maxConcurrent: 20,
  });
  dir = written.dir;
  server = new ServerProcess({
    configPath: written.configPath,
    port: await freeLoopbackPort(),
    home: dir,
    logPath: join(dir, 'server.log'),
  });
});

afterAll(async () => {
  await server?.dispose();
  if (queueId !== null) await cancelQueueJobs(ssh, queueId);
  await ssh.close();
});

describe('server killed with SIGKILL during a 200-task queue', () => {
  it('submits every task exactly once and records its true final state', async () => {
    console.log(
      `server-sigkill: seed ${SEED} (rerun with SCRIPTHUT_FAULT_SEED=${SEED}); log ${join(dir, 'server.log')}`,
    );
    const random = seededRandom(SEED);
    const started = Date.now();
    await server.start();
    const id = await runSource(server.url, 'crash200');
    queueId = id;
    const done = (status: string | undefined): boolean =>
      status === 'completed' || status === 'failed' || status === 'cancelled';
    const kills = await killRepeatedly(server, random, {
      maxKills: MAX_KILLS,
      status: () => queueStatus(server.url, id),
      done,
    });
    const final = await waitFor(
      'the queue to finish',
      async () => {
        const status = await queueStatus(server.url, id);
        return done(status) ? status : undefined;
      },
      240_000,
      500,
    );
    const audit = await auditQueue(server.url, ssh, id);
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    console.log(
      `server-sigkill: ${kills.length} kills at ${describeKills(kills)}; queue ${id} ${final} after ${seconds} s; tasks ${JSON.stringify(audit.counts)}`,
    );

    await server.stop('SIGTERM');
    const { integrity, submissions } = inspectDatabase(join(dir, 'data', 'scripthut.db'), id);
    // `rejected` here: intents a crash left before sbatch ran, released at the next start.
    console.log(`server-sigkill: submission records by state ${JSON.stringify(submissions)}`);

    expect(kills.length).toBeGreaterThanOrEqual(MIN_KILLS);
    expect(audit.lost).toEqual([]);
    expect(audit.doubled).toEqual([]);
    expect(audit.mismatched).toEqual([]);
    expect(audit.counts).toEqual({
      completed: TASKS - TASKS / FAIL_EVERY,
      failed: TASKS / FAIL_EVERY,
    });
    expect(final).toBe('failed');
    expect(integrity).toBe('ok');
  }, 300_000);
});
