import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { testPostgres } from '../leadership/testing';

/** Test-only: a new empty database on the test server, as `settings.database` names one (password apart), and its removal. */
export async function testPostgresDatabase(): Promise<{
  url: string;
  password: string;
  drop(): Promise<void>;
}> {
  const config = await testPostgres();
  const database = `hut_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client(config);
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  return {
    url: `postgres://${config.user ?? 'hut'}@${config.host ?? '127.0.0.1'}:${config.port ?? 5432}/${database}`,
    password: typeof config.password === 'string' ? config.password : '',
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
    },
  };
}
