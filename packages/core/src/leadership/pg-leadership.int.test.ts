import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advisoryLockKey } from './advisory-lock-key';
import { PgLeadership } from './pg-leadership';
import { testPostgres } from './testing';

let connection: pg.ClientConfig;
let admin: pg.Client;
const open: PgLeadership[] = [];
const logs: string[] = [];

/** A cluster name no other test (or earlier run) holds. */
const cluster = (label: string): string => `${label}-${randomBytes(4).toString('hex')}`;

function instance(): PgLeadership {
  const leadership = new PgLeadership({
    connection,
    log: (m) => logs.push(m),
    queryTimeoutMs: 3_000,
  });
  open.push(leadership);
  return leadership;
}

/** Sessions holding the advisory lock of `name`, as PostgreSQL itself reports them. */
async function holders(name: string): Promise<number[]> {
  const key = BigInt(advisoryLockKey(name));
  const hi = Number((BigInt.asUintN(64, key) >> 32n) & 0xffffffffn);
  const lo = Number(BigInt.asUintN(64, key) & 0xffffffffn);
  const { rows } = await admin.query<{ pid: number }>(
    `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted
       AND classid::bigint = $1 AND objid::bigint = $2 AND objsubid = 1`,
    [hi, lo],
  );
  return rows.map((r) => r.pid);
}

beforeAll(async () => {
  connection = await testPostgres();
  admin = new pg.Client(connection);
  await admin.connect();
});
afterAll(async () => {
  await Promise.all(open.map((l) => l.close()));
  await admin.end();
});

describe('cluster leadership on PostgreSQL advisory locks', () => {
  it('gives each cluster to exactly one instance, and another instance the clusters nobody holds', async () => {
    const [a, b] = [instance(), instance()];
    const hpc = cluster('hpc');
    const gpu = cluster('gpu');
    expect(await a.claim(hpc)).toBe(true);
    expect(await b.claim(hpc)).toBe(false);
    expect(await b.claim(gpu)).toBe(true);
    expect(await a.claim(gpu)).toBe(false);
    // Asking again keeps what each holds.
    expect([await a.claim(hpc), await b.claim(hpc), await b.claim(gpu)]).toEqual([
      true,
      false,
      true,
    ]);
    expect(a.held()).toEqual([hpc]);
    expect(b.held()).toEqual([gpu]);
    expect(await holders(hpc)).toHaveLength(1);
  });

  it('hands a cluster over when its leader shuts down', async () => {
    const [a, b] = [instance(), instance()];
    const hpc = cluster('hpc');
    expect(await a.claim(hpc)).toBe(true);
    expect(await b.claim(hpc)).toBe(false);
    await a.close();
    expect(await a.claim(hpc)).toBe(false);
    expect(await b.claim(hpc)).toBe(true);
  });

  it('stops leading as soon as the database ends its session, and the other instance takes over', async () => {
    const [a, b] = [instance(), instance()];
    const hpc = cluster('hpc');
    expect(await a.claim(hpc)).toBe(true);
    const [pid] = await holders(hpc);
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    expect(await a.claim(hpc)).toBe(false);
    expect(a.held()).toEqual([]);
    expect(logs.some((l) => l.includes(`no longer polling ${hpc}`))).toBe(true);
    expect(await b.claim(hpc)).toBe(true);
    // a reconnects, but the cluster now belongs to b.
    expect(await a.claim(hpc)).toBe(false);
  });

  it('frees the clusters of an instance killed with SIGKILL for the next claim', async () => {
    const hpc = cluster('hpc');
    const script = `
      const { Client } = require('pg');
      const c = new Client(${JSON.stringify(connection)});
      c.connect()
        .then(() => c.query('SELECT pg_try_advisory_lock($1::bigint) AS ok', [${JSON.stringify(advisoryLockKey(hpc))}]))
        .then((r) => { process.stdout.write(r.rows[0].ok ? 'leader\\n' : 'follower\\n'); setInterval(() => {}, 1000); });
    `;
    const child = spawn(process.execPath, ['-e', script], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const said = await new Promise<string>((resolve) =>
      child.stdout.once('data', (d: Buffer) => resolve(d.toString())),
    );
    expect(said.trim()).toBe('leader');
    const b = instance();
    expect(await b.claim(hpc)).toBe(false);
    child.kill('SIGKILL');
    const killedAt = Date.now();
    let claimed = false;
    while (!claimed && Date.now() - killedAt < 5_000) {
      claimed = await b.claim(hpc);
      if (!claimed) await new Promise((r) => setTimeout(r, 50));
    }
    expect(claimed).toBe(true);
    console.log(
      `pg-leadership: cluster taken over ${Date.now() - killedAt} ms after SIGKILL of its leader`,
    );
  });

  it('answers false, without throwing, while the database cannot be reached', async () => {
    const unreachable = new PgLeadership({
      connection: { ...connection, port: 1 },
      log: () => undefined,
      queryTimeoutMs: 1_000,
    });
    open.push(unreachable);
    expect(await unreachable.claim(cluster('hpc'))).toBe(false);
    expect(unreachable.held()).toEqual([]);
  });
});
