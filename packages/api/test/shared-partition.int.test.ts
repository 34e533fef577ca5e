import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  cancelQueueJobs,
  createSshConnection,
  freeLoopbackPort,
  readTestbed,
  TcpCutter,
  testbedTarget,
  testDatabase,
  type SshConnection,
} from '@scripthut/core/testing';
import { systemClock } from '@scripthut/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandLogPreload, readCommandLog } from './command-log';
import { auditQueue, queueCounts, queueStatus, runSource, trpcClient } from './queue-helpers';
import { ServerProcess, waitFor } from './server-process';
import {
  DB_PASSWORD_ENV,
  health,
  POLL_INTERVAL_MS,
  readLedger,
  writeSharedConfig,
} from './shared-servers';

// Two real servers on one PostgreSQL database; `a` reaches it through a TCP
// forwarder the test cuts in the middle of a queue (every connection reset,
// new ones refused) while `a` still reaches the cluster. `b` takes the
// cluster over; `a` stops acting; nothing is submitted twice and no job is
// final without accounting; `a` comes back as a follower.
const TASKS = 40;

let ssh: SshConnection;
let database: Awaited<ReturnType<typeof testDatabase>>;
let cutter: TcpCutter;
let dir: string;
let ledger: string;
let a: ServerProcess;
let b: ServerProcess;
let queueId: string | null = null;

beforeAll(async () => {
  const target = testbedTarget(await readTestbed());
  ssh = createSshConnection(target, { clock: systemClock });
  database = await testDatabase();
  const c = database.config;
  cutter = await TcpCutter.start(new URL(`tcp://${c.host}:${c.port}`));
  dir = mkdtempSync(join(tmpdir(), 'scripthut-partition-'));
  ledger = `lead-ledger-${randomBytes(6).toString('hex')}.txt`;
  const preload = commandLogPreload(dir);
  const server = async (name: string, port: string): Promise<ServerProcess> =>
    new ServerProcess({
      configPath: writeSharedConfig({
        dir,
        name,
        ssh: target,
        databaseUrl: `postgres://${c.user}@${c.host}:${port}/${database.name}`,
        tasks: TASKS,
        ledger,
        maxConcurrent: 10,
      }),
      port: await freeLoopbackPort(),
      home: dir,
      logPath: join(dir, `${name}.log`),
      env: {
        [DB_PASSWORD_ENV]: String(c.password ?? ''),
        SCRIPTHUT_TEST_COMMAND_LOG: join(dir, `${name}.commands`),
        NODE_OPTIONS: `--require ${preload}`,
      },
    });
  a = await server('a', new URL(cutter.url).port);
  b = await server('b', String(c.port));
});

afterAll(async () => {
  await a?.dispose();
  await b?.dispose();
  await cutter?.close();
  if (queueId !== null) await cancelQueueJobs(ssh, queueId).catch(() => undefined);
  await ssh.run(`rm -f "$HOME/${ledger}"`, { timeoutMs: 30_000 }).catch(() => undefined);
  await ssh.close();
  await database?.drop();
  if (process.env.KEEP_DIR === undefined) rmSync(dir, { recursive: true, force: true });
});

const leads = async (s: ServerProcess): Promise<boolean> =>
  (await health(s.url)).instance?.leads.includes('tb') === true;

describe('the leader cut off from PostgreSQL while it still reaches the cluster', () => {
  it('hands the cluster over; the cut-off instance stops acting, nothing is submitted twice and every ending comes from accounting', async () => {
    console.log(`shared-partition: database ${database.name}; logs in ${dir}`);
    await a.start();
    await waitFor('a to lead tb', async () => ((await leads(a)) ? true : undefined), 30_000, 100);
    await b.start();
    await waitFor(
      'b to show a as the poller',
      async () => ((await health(b.url)).clusters.tb?.leader === 'a' ? true : undefined),
      2 * POLL_INTERVAL_MS + 10_000,
      100,
    );
    const id = await runSource(b.url, 'lead');
    queueId = id;
    await waitFor(
      'a quarter of the tasks to finish',
      async () => ((await queueCounts(b.url, id))?.completed ?? 0) >= TASKS / 4 || undefined,
      90_000,
      100,
    );

    const cutAt = Date.now();
    cutter.cut();
    await waitFor(
      'b to lead tb',
      async () => ((await leads(b)) ? true : undefined),
      3 * POLL_INTERVAL_MS,
      50,
    );
    const takeoverMs = Date.now() - cutAt;
    const aAfterCut = await health(a.url);
    const final = await waitFor(
      'the queue to finish',
      async () => {
        const status = await queueStatus(b.url, id);
        return status === 'completed' || status === 'failed' ? status : undefined;
      },
      120_000,
      500,
    );
    const aCommands = readCommandLog(join(dir, 'a.commands')).filter((x) => x.tool !== null);
    const bCommands = readCommandLog(join(dir, 'b.commands')).filter((x) => x.tool !== null);

    cutter.restore();
    const rejoined = await waitFor(
      'a to follow b',
      async () => {
        const h = await health(a.url);
        return h.clusters.tb?.leader === 'b' && h.store?.status === 'ok' ? h : undefined;
      },
      4 * POLL_INTERVAL_MS,
      100,
    );

    const audit = await auditQueue(b.url, ssh, id);
    const runs = await readLedger(ssh, ledger);
    const detail = await trpcClient(b.url).queues.get.query({ id });
    const lateA = aCommands.filter((x) => x.at > cutAt);
    console.log(
      `shared-partition: b led ${takeoverMs} ms after the cut; queue ${final}; tasks ${JSON.stringify(audit.counts)}; a ran ${aCommands.length} scheduler commands (${lateA.length} after the cut: ${lateA.map((x) => `${x.tool}+${x.at - cutAt}ms`).join(' ')}), b ${bCommands.length}`,
    );

    expect(takeoverMs).toBeLessThanOrEqual(POLL_INTERVAL_MS + 1_000);
    expect(aAfterCut.instance?.leads).toEqual([]);
    expect(rejoined.instance?.leads).toEqual([]);
    expect(audit.lost).toEqual([]);
    expect(audit.doubled).toEqual([]);
    expect(audit.mismatched).toEqual([]);
    expect(final).toBe('completed');
    expect(audit.counts).toEqual({ completed: TASKS });
    expect(runs.size).toBe(TASKS);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    // Every ending is accounting's: the outcome and exit code sacct gave.
    expect(
      detail.tasks.filter((t) => t.job?.outcome !== 'COMPLETED' || t.job.exitCode !== 0),
    ).toEqual([]);
    // Never two submitters: the cut-off instance submits nothing once b acts on the cluster, and
    // stops acting within one poll (a poll under way at the cut may still ask for accounting).
    const bFirst = Math.min(...bCommands.map((x) => x.at));
    expect(aCommands.filter((x) => x.at >= bFirst && x.tool === 'sbatch')).toEqual([]);
    expect(lateA.filter((x) => x.at > cutAt + POLL_INTERVAL_MS)).toEqual([]);
  }, 240_000);
});
