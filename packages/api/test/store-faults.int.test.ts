import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  freeLoopbackPort,
  inspectDatabase,
  mountTmpfs,
  remount,
  unmount,
} from '@scripthut/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, ServerProcess, waitFor } from './server-process';

// The server's history database loses its disk under a running server: full
// (tmpfs with a size limit) or read-only. `mount -o remount,ro` is refused
// (EBUSY) while the server holds the file open for writing, so a running
// server's database is made read-only with `chattr +i`; a read-only mount is
// tried at startup, where the server must refuse to start and say why.
const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const probeDir = mkdtempSync(join(tmpdir(), 'scripthut-mount-probe-'));
const canMount = mountTmpfs(probeDir, '64k') && unmount(probeDir);
rmSync(probeDir, { recursive: true, force: true });

/** A command printing `count` tasks of ~0.5 kB each (generated: a literal that long would exceed execve's argument limit). */
const tasksCommand = (prefix: string, count: number) =>
  `python3 -c 'import json;print(json.dumps([{"id":"${prefix}%d"%i,"name":"${prefix} %d %s"%(i,"x"*120),"command":"echo ${prefix}-%d %s"%(i,"y"*300)} for i in range(${count})]))'`;

/** A server with one local cluster and two task sources: `big` (a queue of ~2 MB in the database) and `small`. */
async function startServer(dataDir: string): Promise<{ server: ServerProcess; home: string }> {
  const home = mkdtempSync(join(tmpdir(), 'scripthut-store-fault-'));
  const config = {
    clusters: [{ name: 'here', type: 'local', max_concurrent: 2 }],
    task_sources: [
      { name: 'big', cluster: 'here', command: tasksCommand('b', 2_000), max_concurrent: 1 },
      { name: 'small', cluster: 'here', command: tasksCommand('s', 3), max_concurrent: 3 },
    ],
    settings: { poll_interval: 5, data_dir: dataDir },
  };
  writeFileSync(join(home, 'scripthut.yaml'), JSON.stringify(config));
  const server = new ServerProcess({
    configPath: join(home, 'scripthut.yaml'),
    port: await freeLoopbackPort(),
    home,
    logPath: join(home, 'server.log'),
  });
  cleanups.push(
    () => rmSync(home, { recursive: true, force: true }),
    () => server.dispose(),
  );
  await server.start();
  return { server, home };
}

interface Health {
  status: string;
  store?: { status: string; path: string; error: string | null; since: string | null };
}
const health = async (url: string): Promise<Health> =>
  (await (await fetch(`${url}/health`)).json()) as Health;
const run = async (url: string, source: string) => {
  const res = await fetch(`${url}/task-sources/${source}/run`, {
    method: 'POST',
    headers: { Origin: url },
  });
  return {
    status: res.status,
    body: (await res.json()) as { queue_id?: string; code?: string; error?: string },
  };
};
const queues = async (url: string) =>
  (await (await fetch(`${url}/queues/list`)).json()) as {
    queue_id: string;
    source_name: string;
    status: string;
  }[];

/** With the store failing: the mutation fails clearly, /health says why; once fixed, both recover without a restart. */
async function expectFailureThenRecovery(
  server: ServerProcess,
  dbPath: string,
  cause: RegExp,
  fix: () => void,
): Promise<void> {
  const refused = await run(server.url, 'big');
  expect(refused).toMatchObject({
    status: 503,
    body: { code: 'STORE_UNAVAILABLE', error: expect.stringContaining(dbPath) as string },
  });
  expect(refused.body.error).toMatch(cause);
  const degraded = await health(server.url);
  expect(degraded).toMatchObject({
    status: 'degraded',
    store: { status: 'unavailable', path: dbPath },
  });
  expect(degraded.store?.error).toMatch(cause);
  console.log(`store-faults: /health while failing: ${JSON.stringify(degraded.store)}`);

  fix();
  const startedMs = Date.now();
  await waitFor(
    '/health to recover',
    async () => ((await health(server.url)).status === 'ok' ? true : undefined),
    20_000,
    500,
  );
  console.log(`store-faults: recovered ${Date.now() - startedMs} ms after the fix, no restart`);
  const accepted = await run(server.url, 'small');
  expect(accepted.status).toBe(201);
  await waitFor(
    'the small queue to complete',
    async () =>
      (await queues(server.url)).find((q) => q.queue_id === accepted.body.queue_id)?.status ===
      'completed'
        ? true
        : undefined,
    60_000,
    500,
  );
  // The refused queue left nothing behind.
  expect((await queues(server.url)).map((q) => q.source_name)).toEqual(['small']);
  await server.stop('SIGTERM');
  expect(inspectDatabase(dbPath).integrity).toBe('ok');
}

describe.skipIf(!canMount)('history database on a full disk (tmpfs; needs root)', () => {
  it('refuses mutations with STORE_UNAVAILABLE, shows the store error in /health, no corruption, recovers when space is freed', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'scripthut-full-'));
    if (!mountTmpfs(dataDir, '3m')) throw new Error('mount failed after the probe succeeded');
    cleanups.push(
      () => rmSync(dataDir, { recursive: true, force: true }),
      () => void unmount(dataDir),
    );
    const { server } = await startServer(dataDir);
    const filler = join(dataDir, 'filler');
    try {
      for (;;) appendFileSync(filler, Buffer.alloc(64 * 1024));
    } catch (e) {
      expect((e as NodeJS.ErrnoException).code).toBe('ENOSPC');
    }
    await expectFailureThenRecovery(server, join(dataDir, 'scripthut.db'), /disk is full/, () =>
      rmSync(filler),
    );
  }, 120_000);

  it('refuses to start on a read-only file system and says why (a restart is needed once writable)', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'scripthut-ro-'));
    if (!mountTmpfs(dataDir, '4m')) throw new Error('mount failed after the probe succeeded');
    cleanups.push(
      () => rmSync(dataDir, { recursive: true, force: true }),
      () => void unmount(dataDir),
    );
    mkdirSync(join(dataDir, 'local'));
    remount(dataDir, 'ro');
    const home = mkdtempSync(join(tmpdir(), 'scripthut-store-fault-'));
    cleanups.push(() => rmSync(home, { recursive: true, force: true }));
    writeFileSync(
      join(home, 'scripthut.yaml'),
      JSON.stringify({ settings: { data_dir: dataDir } }),
    );
    const result = spawnSync(
      'node',
      [CLI, '--config', join(home, 'scripthut.yaml'), '--port', '0'],
      {
        cwd: home,
        env: { ...process.env, SCRIPTHUT_HOME: home },
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`scripthut: History database ${join(dataDir, 'scripthut.db')}`);
    expect(result.stderr).toMatch(/read-only file system/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});

const canChattr = spawnSync('chattr', ['-i', tmpdir()]).status === 0;

describe.skipIf(!canChattr)(
  'history database made read-only under a running server (chattr +i; needs root)',
  () => {
    it('refuses mutations with STORE_UNAVAILABLE, shows the store error in /health, no corruption, recovers once writable', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'scripthut-immutable-'));
      cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
      const { server } = await startServer(dataDir);
      const db = join(dataDir, 'scripthut.db');
      // Not the -shm file: SQLite memory-maps it, and a write fault there kills the process (SIGBUS).
      const files = [db, `${db}-wal`];
      const chattr = (flag: '+i' | '-i') =>
        expect(spawnSync('chattr', [flag, ...files]).status).toBe(0);
      chattr('+i');
      cleanups.push(() => void spawnSync('chattr', ['-i', ...files]));
      await expectFailureThenRecovery(server, db, /read-only/, () => chattr('-i'));
    }, 120_000);
  },
);
