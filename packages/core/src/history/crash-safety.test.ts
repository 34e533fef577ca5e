import { spawn } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { HistoryStore } from './history-store';
import { makeTempDir } from './testing';

/**
 * A writer killed with SIGKILL mid-transaction must leave a database that
 * opens, passes integrity_check and holds only whole transactions. SIGKILL
 * keeps the OS page cache, so this proves atomicity and consistency, not
 * durability across power loss (that is what synchronous=FULL is for).
 *
 * The writer is plain JS on better-sqlite3 with the store's pragmas: each
 * transaction inserts ROWS_PER_TX jobs tagged with its batch number and
 * records the batch in `meta`, then prints the batch once committed. Rounds
 * alternate between killing as a commit is reported (the next transaction
 * is running, at whatever point) and killing a writer parked halfway through
 * a transaction whose first half has already spilled into the WAL.
 */
const WRITER = `
import { createRequire } from 'node:module';
const [modulePath, dbPath, rowsPerTx, firstBatch, pauseAtBatch] = process.argv.slice(2);
const Database = createRequire(import.meta.url)(modulePath);
const db = new Database(dbPath);
db.pragma('busy_timeout = 5000');
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('foreign_keys = ON');
// Not a store pragma: a tiny page cache makes each transaction spill uncommitted
// frames into the WAL before its commit, so the kill leaves those behind too.
db.pragma('cache_size = 16');
const insert = db.prepare(
  "insert into jobs (id, cluster, name, user, state, source, stale, updated_at, queue_id, command) " +
  "values (?, 'crash', ?, 'writer', 'running', 'external', 0, '2026-03-01T00:00:00.000Z', ?, ?)");
const mark = db.prepare(
  "insert into meta (key, value) values ('crash_last_batch', ?) on conflict (key) do update set value = excluded.value");
const write = db.transaction((batch) => {
  for (let i = 0; i < Number(rowsPerTx); i++) {
    insert.run('crash:' + batch + ':' + i, 'job ' + i, 'batch-' + batch, 'x'.repeat(300));
    if (batch === Number(pauseAtBatch) && i === Number(rowsPerTx) / 2) {
      process.stdout.write('mid\\n');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30000);
    }
  }
  mark.run(String(batch));
});
for (let batch = Number(firstBatch); ; batch++) {
  write(batch);
  process.stdout.write(batch + '\\n');
}
`;

const ROWS_PER_TX = 500;
const KILL_AFTER_COMMITS = 15;
const ROUNDS = 3;

let temp: ReturnType<typeof makeTempDir>;
let dbPath: string;
let writerPath: string;

beforeAll(async () => {
  temp = makeTempDir();
  dbPath = join(temp.dir, 'scripthut.db');
  writerPath = join(temp.dir, 'writer.mjs');
  writeFileSync(writerPath, WRITER);
  await (await HistoryStore.open(dbPath)).close();
});
afterAll(() => temp.remove());

/**
 * Runs the writer for `commits` transactions and SIGKILLs it: `on-commit`
 * as the last one is reported, `mid-transaction` halfway through the next.
 * Returns the last batch reported committed.
 */
function writeThenKill(
  firstBatch: number,
  commits: number,
  when: 'on-commit' | 'mid-transaction',
): Promise<number> {
  const modulePath = createRequire(import.meta.url).resolve('better-sqlite3');
  const pauseAt = when === 'mid-transaction' ? firstBatch + commits : -1;
  const args = [
    writerPath,
    modulePath,
    dbPath,
    String(ROWS_PER_TX),
    String(firstBatch),
    String(pauseAt),
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    let last = -1;
    let seen = 0;
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line === 'mid') {
        child.kill('SIGKILL');
        return;
      }
      last = Number(line);
      if (++seen === commits && when === 'on-commit') child.kill('SIGKILL');
    });
    child.on('exit', (_code, signal) => {
      if (signal === 'SIGKILL') resolve(last);
      else reject(new Error(`writer exited without being killed: ${stderr}`));
    });
  });
}

it('leaves only whole transactions after writers are SIGKILLed mid-transaction, and the store reopens', async () => {
  let nextBatch = 0;
  const rounds: string[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const when = round % 2 === 0 ? 'mid-transaction' : 'on-commit';
    const lastReported = await writeThenKill(nextBatch, KILL_AFTER_COMMITS, when);
    // No clean close: recovery must come from the WAL the killed writer left behind.
    const walBytes = statSync(`${dbPath}-wal`).size;
    expect(walBytes).toBeGreaterThan(0);

    const raw = new Database(dbPath);
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    const batches = raw
      .prepare(
        `select queue_id as batch, count(*) as n from jobs where cluster = 'crash' group by queue_id`,
      )
      .all() as Array<{ batch: string; n: number }>;
    const marker = raw.prepare(`select value from meta where key = 'crash_last_batch'`).get() as {
      value: string;
    };
    raw.close();

    const numbers = batches
      .map((b) => Number(b.batch.slice('batch-'.length)))
      .sort((a, b) => a - b);
    const lastStored = Number(marker.value);
    // Every stored batch is complete, batches are contiguous, and the marker agrees with the rows.
    expect(batches.every((b) => b.n === ROWS_PER_TX)).toBe(true);
    expect(numbers).toEqual(Array.from({ length: lastStored + 1 }, (_, i) => i));
    // Everything the writer reported as committed is there (at most one more, committed before the kill landed).
    expect(lastStored).toBeGreaterThanOrEqual(lastReported);
    expect(lastStored).toBeLessThanOrEqual(
      when === 'mid-transaction' ? lastReported : lastReported + 1,
    );

    const store = await HistoryStore.open(dbPath);
    expect((await store.listJobs({ cluster: 'crash', limit: 1 })).total).toBe(
      (lastStored + 1) * ROWS_PER_TX,
    );
    await store.close();
    nextBatch = lastStored + 1;
    rounds.push(`${when}: reported ${lastReported}, stored ${lastStored}, wal ${walBytes} B`);
  }
  console.info(`[history crash] ${rounds.join('; ')}`);
}, 60_000);
