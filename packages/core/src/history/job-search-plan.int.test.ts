import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testPostgres } from '../leadership/testing';
import { jobFilter } from './job-filters';
import { openPostgresHistory, type OpenedPostgresHistory } from './open-postgres-history';

// PostgreSQL serves search from migration 0007's trigram index only if the
// query's expression is the index's, character for character: this asks the
// planner, over 5,000 analyzed jobs with sequential scans priced out (at that
// size a scan is cheaper; at 100,000 the index wins), whether it can use it.
// `arrays: 'tasks'` leaves out `array_id IS NULL`, which a btree would serve.
let admin: pg.Client;
let opened: OpenedPostgresHistory;
const schema = `hut_test_${randomBytes(6).toString('hex')}`;

beforeAll(async () => {
  const config = await testPostgres();
  admin = new pg.Client(config);
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const url = `postgres://${encodeURIComponent(config.user ?? '')}@${config.host ?? '127.0.0.1'}:${config.port ?? 5432}/${config.database ?? 'postgres'}`;
  opened = await openPostgresHistory({
    url,
    schema,
    ...(typeof config.password === 'string' ? { password: config.password } : {}),
  });
  await admin.query(`
    insert into ${schema}.jobs (id, cluster, scheduler_job_id, name, "user", state, source, updated_at)
    select 'hpc:' || n, 'hpc', n::text, 'sweep-' || (n % 97) || '-run-' || n, 'alice', 'completed', 'external',
           '2026-03-01T00:00:00.000Z'
    from generate_series(1, 5000) as n`);
  await admin.query(`analyze ${schema}.jobs`);
});
afterAll(async () => {
  await opened?.pool.end();
  await admin.query(`DROP SCHEMA ${schema} CASCADE`);
  await admin.end();
});

it('serves job search from the pg_trgm index where pg_trgm can be installed', async () => {
  const available = await admin.query(
    `select 1 from pg_available_extensions where name = 'pg_trgm'`,
  );
  const { sql, parameters } = opened.kysely
    .selectFrom('jobs')
    .select('id')
    .where(jobFilter({ text: 'sweep-42', arrays: 'tasks' }, 'postgres'))
    .compile();
  const client = await opened.pool.connect();
  try {
    await client.query('begin');
    await client.query('set local enable_seqscan = off');
    const explained = await client.query<{ 'QUERY PLAN': string }>(`explain ${sql}`, [
      ...parameters,
    ]);
    await client.query('rollback');
    const text = explained.rows.map((r) => r['QUERY PLAN']).join('\n');
    if (available.rows.length > 0) expect(text).toContain('jobs_search_trgm');
    else expect(text).not.toContain('jobs_search_trgm');
  } finally {
    client.release();
  }
});
