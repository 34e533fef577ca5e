import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { readTestbed } from '../ssh/testing';

/** Connection settings of the project's PostgreSQL test server (`testbed/pg-up.sh`). */
export async function testPostgres(
  path = process.env.SCRIPTHUT_TEST_PG_ENV ?? '/var/tmp/scripthut-pg/connection.env',
): Promise<pg.ClientConfig> {
  const env = await readTestbed(path).catch(() => {
    throw new Error(
      `No PostgreSQL test server (${path} is missing): run \`sudo bash testbed/pg-up.sh\`.`,
    );
  });
  return {
    host: env.HUT_PG_HOST ?? '127.0.0.1',
    port: Number(env.HUT_PG_PORT ?? 55432),
    user: env.HUT_PG_USER ?? 'hut',
    password: env.HUT_PG_PASSWORD ?? '',
    database: env.HUT_PG_DATABASE ?? 'postgres',
  };
}

/** A fresh database on the PostgreSQL test server, for tests that run whole servers on it; `drop` ends its sessions and removes it. */
export async function testDatabase(): Promise<{
  name: string;
  config: pg.ClientConfig;
  drop(): Promise<void>;
}> {
  const base = await testPostgres();
  const admin = new pg.Client(base);
  await admin.connect();
  const name = `hut_test_${randomBytes(6).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name}`);
  return {
    name,
    config: { ...base, database: name },
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
