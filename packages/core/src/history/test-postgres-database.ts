import { testDatabase } from '../leadership/testing';

/** Test-only: a new empty database on the test server, as `settings.database` names one (password apart), and its removal. */
export async function testPostgresDatabase(): Promise<{
  url: string;
  password: string;
  drop(): Promise<void>;
}> {
  const db = await testDatabase();
  const { config } = db;
  return {
    url: `postgres://${config.user ?? 'hut'}@${config.host ?? '127.0.0.1'}:${config.port ?? 5432}/${config.database}`,
    password: typeof config.password === 'string' ? config.password : '',
    drop: () => db.drop(),
  };
}
