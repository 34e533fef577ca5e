import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { jobFilter } from './job-filters';
import { openHistoryDatabase, type OpenedHistoryDatabase } from './open-history-database';
import { makeTempDir } from './testing';

let temp: ReturnType<typeof makeTempDir>;
let opened: OpenedHistoryDatabase;
beforeEach(async () => {
  temp = makeTempDir();
  opened = await openHistoryDatabase(join(temp.dir, 'scripthut.db'));
});
afterEach(() => {
  opened.sqlite.close();
  temp.remove();
});

const plan = (text: string): string => {
  const { sql, parameters } = opened.kysely
    .selectFrom('jobs')
    .select('id')
    .where(jobFilter({ text }, 'sqlite'))
    .compile();
  return (
    opened.sqlite.prepare(`explain query plan ${sql}`).all(...parameters) as { detail: string }[]
  )
    .map((r) => r.detail)
    .join('; ');
};

it('looks search words of three characters or more up in the trigram table', () => {
  expect(plan('sweep-42 bob')).toMatch(
    /VIRTUAL TABLE INDEX .*jobs_search|jobs_search VIRTUAL TABLE/,
  );
});

it('scans for words too short for a trigram', () => {
  expect(plan('ab')).not.toMatch(/jobs_search/);
});
