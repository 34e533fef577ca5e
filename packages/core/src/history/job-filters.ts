import {
  expressionBuilder,
  sql,
  type Expression,
  type ExpressionBuilder,
  type SelectQueryBuilder,
  type SqlBool,
} from 'kysely';
import type { HistoryDatabase } from './schema';
import { SEARCH_COLUMNS } from './search-index';
import type { StoreKind } from './store-executor';
import type { JobSortField, ListJobsQuery } from './types';

type JobsBuilder = ExpressionBuilder<HistoryDatabase, 'jobs'>;

/** The filters of a job list or count query; see ListJobsQuery for their meaning. */
export type JobFilter = Pick<
  ListJobsQuery,
  'cluster' | 'states' | 'user' | 'owners' | 'queueId' | 'text' | 'source' | 'arrays' | 'arrayId'
>;

/**
 * The searched columns joined by spaces, lowercased: a word holds no
 * whitespace, so it is a substring of this text exactly when it is a
 * substring of one of the columns. Literal SQL, not parameters, because it
 * is the expression of PostgreSQL's trigram index (migration 0007, which
 * spells the same ten columns in the same order).
 */
const SEARCH_TEXT = sql.raw(
  `lower(${SEARCH_COLUMNS.map((c) => `coalesce("${c}", '')`).join(` || ' ' || `)})`,
);

const likePattern = (word: string): string => `%${word.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`;

/** The trigram index finds substrings of three characters or more. */
const TRIGRAM_CHARS = 3;

/**
 * SQLite: the jobs whose searched columns may contain every word of
 * `words` that the trigram table can look up (an FTS5 phrase per word, all
 * required), or null when no word is long enough. A candidate set: the
 * LIKE of `jobFilter` still decides.
 */
function searchCandidates(words: readonly string[]): Expression<SqlBool> | null {
  const phrases = words
    .filter((w) => [...w].length >= TRIGRAM_CHARS)
    .map((w) => `"${w.replaceAll('"', '""')}"`);
  if (phrases.length === 0) return null;
  return sql<boolean>`jobs.rowid in (select rowid from jobs_search where jobs_search match ${phrases.join(' AND ')})`;
}

/**
 * The WHERE clause of `filter`, shared by the list and the counts so both
 * always agree. `kind` picks how text search finds its rows; the rows found
 * are the same on both.
 */
export function jobFilter(
  filter: JobFilter,
  kind: StoreKind,
): (eb: JobsBuilder) => Expression<SqlBool> {
  return (eb) => {
    const conditions: Array<Expression<SqlBool>> = [];
    if (filter.cluster !== undefined) conditions.push(eb('cluster', '=', filter.cluster));
    if (filter.states !== undefined) {
      // An empty state list matches nothing rather than producing `IN ()`.
      conditions.push(
        filter.states.length === 0 ? sql<boolean>`1 = 0` : eb('state', 'in', filter.states),
      );
    }
    if (filter.user !== undefined) conditions.push(eb('user', '=', filter.user));
    if (filter.owners !== undefined) {
      conditions.push(
        filter.owners.length === 0
          ? sql<boolean>`1 = 0`
          : eb.or(
              filter.owners.map((o) =>
                eb.and([eb('cluster', '=', o.cluster), eb('user', '=', o.user)]),
              ),
            ),
      );
    }
    if (filter.queueId !== undefined) conditions.push(eb('queue_id', '=', filter.queueId));
    if (filter.source !== undefined) conditions.push(eb('source', '=', filter.source));
    if (filter.arrayId !== undefined) conditions.push(eb('array_id', '=', filter.arrayId));
    else if ((filter.arrays ?? 'grouped') === 'grouped')
      conditions.push(eb('array_id', 'is', null));
    else conditions.push(eb('array_counts', 'is', null));
    const words = (filter.text ?? '').split(/\s+/).filter(Boolean);
    const candidates = kind === 'sqlite' ? searchCandidates(words) : null;
    if (candidates !== null) conditions.push(candidates);
    for (const word of words)
      conditions.push(sql<boolean>`${SEARCH_TEXT} like ${likePattern(word)} escape '\\'`);
    return eb.and(conditions);
  };
}

type SortTerm = Expression<unknown>;

/** What each sort field orders by, most significant first; every term sorts nulls last. */
const SORT_TERMS: Record<JobSortField, (eb: JobsBuilder) => SortTerm[]> = {
  submitTime: (eb) => [eb.ref('submit_time')],
  startTime: (eb) => [eb.ref('start_time')],
  finishTime: (eb) => [eb.ref('finish_time')],
  name: (eb) => [eb.ref('name')],
  user: (eb) => [eb.ref('user')],
  state: (eb) => [eb.ref('state')],
  cluster: (eb) => [eb.ref('cluster')],
  schedulerJobId: (eb) => [eb.ref('scheduler_job_id')],
  updatedAt: (eb) => [eb.ref('updated_at')],
  cpuEfficiency: (eb) => [eb.ref('cpu_efficiency')],
  memoryEfficiency: (eb) => [eb.ref('memory_efficiency')],
  maxRss: (eb) => [eb.ref('max_rss_bytes')],
  source: (eb) => [eb.ref('source'), eb.ref('queue_id')],
  partition: (eb) => [eb.ref('partition')],
  cpus: (eb) => [eb.ref('cpus')],
  // Slurm's elapsed time is `[D-][HH:]MM:SS` with fixed-width parts after the first, so a longer text is a longer time.
  timeUsed: (eb) => [eb.fn('length', [eb.ref('time_used')]), eb.ref('time_used')],
  exit: (eb) => [eb.ref('exit_code'), eb.ref('reason')],
  lifecycle: (eb) => [
    eb
      .case('state')
      .when('pending')
      .then(0)
      .when('submitted')
      .then(1)
      .when('running')
      .then(2)
      .when('finishing')
      .then(3)
      .when('completed')
      .then(4)
      .when('failed')
      .then(5)
      .else(6)
      .end(),
  ],
  // Scheduler ids are digits (with `_task` for arrays): a shorter id is a smaller number.
  jobNumber: (eb) => [eb.fn('length', [eb.ref('scheduler_job_id')]), eb.ref('scheduler_job_id')],
};

/**
 * Orders `query` by `sort` (nulls last in both directions), then by id in
 * the same direction so pages are stable and an index on (column, id)
 * serves the whole order (migrations/0006-job-list-indexes.ts).
 */
export function orderJobs<O>(
  query: SelectQueryBuilder<HistoryDatabase, 'jobs', O>,
  sort: { field: JobSortField; dir: 'asc' | 'desc' },
): SelectQueryBuilder<HistoryDatabase, 'jobs', O> {
  let ordered = query;
  for (const term of SORT_TERMS[sort.field](expressionBuilder<HistoryDatabase, 'jobs'>())) {
    ordered = ordered.orderBy(term, (ob) =>
      (sort.dir === 'asc' ? ob.asc() : ob.desc()).nullsLast(),
    );
  }
  return ordered.orderBy('id', sort.dir);
}
