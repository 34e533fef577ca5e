import type { Job, JobState } from '@scripthut/core/domain';
import { exitOrReason, JOB_STATES, jobBadge } from '../format/job-badge';

export interface JobFilters {
  text: string;
  /** Empty means every state. */
  states: readonly JobState[];
  /** Null means every cluster. */
  cluster: string | null;
}

export type UserScope = 'mine' | 'all';

export const SORT_KEYS = [
  'id',
  'name',
  'user',
  'state',
  'source',
  'cluster',
  'partition',
  'time',
  'resources',
  'submitTime',
  'exit',
  'cpuEff',
  'memEff',
] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export interface JobSort {
  key: SortKey;
  dir: 'asc' | 'desc';
}

export const DEFAULT_SORT: JobSort = { key: 'submitTime', dir: 'desc' };
export const NO_FILTERS: JobFilters = { text: '', states: [], cluster: null };

export const hasFilters = (f: JobFilters): boolean =>
  f.text.trim() !== '' || f.states.length > 0 || f.cluster !== null;

/** Returns the user "my jobs" means on a cluster, or null when unknown there. */
export type MyUserLookup = (cluster: string) => string | null;

const searchText = new WeakMap<Job, string>();
/** Everything a user might type to find a job, lower-cased; cached per job object (jobs are immutable). */
function haystack(job: Job): string {
  let text = searchText.get(job);
  if (text === undefined) {
    text = [
      job.id,
      job.schedulerJobId,
      job.name,
      job.user,
      job.cluster,
      job.partition,
      job.nodes,
      job.queueId,
      jobBadge(job).label,
      exitOrReason(job),
    ]
      .filter(Boolean)
      .join('\n')
      .toLowerCase();
    searchText.set(job, text);
  }
  return text;
}

export function filterJobs(
  jobs: Iterable<Job>,
  filters: JobFilters,
  scope: UserScope,
  myUser: MyUserLookup,
): Job[] {
  const terms = filters.text.toLowerCase().split(/\s+/).filter(Boolean);
  const states = filters.states.length > 0 ? new Set(filters.states) : null;
  const out: Job[] = [];
  for (const job of jobs) {
    if (filters.cluster !== null && job.cluster !== filters.cluster) continue;
    if (states && !states.has(job.state)) continue;
    if (scope === 'mine' && job.user !== myUser(job.cluster)) continue;
    if (terms.length > 0) {
      const text = haystack(job);
      if (!terms.every((t) => text.includes(t))) continue;
    }
    out.push(job);
  }
  return out;
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
const STATE_ORDER = new Map(JOB_STATES.map((s, i) => [s, i]));

/** Slurm time `[D-]HH:MM:SS`, `MM:SS` or `UNLIMITED` to seconds; null when absent or unparsable. */
export function slurmTimeToSeconds(text: string | null): number | null {
  if (!text) return null;
  if (/^(unlimited|infinite)$/i.test(text)) return Number.POSITIVE_INFINITY;
  const m = /^(?:(\d+)-)?(?:(\d+):)?(\d+):(\d+)$/.exec(text.trim());
  if (!m) return null;
  const [, d = '0', h = '0', min = '0', s = '0'] = m;
  return ((Number(d) * 24 + Number(h)) * 60 + Number(min)) * 60 + Number(s);
}

type SortValue = string | number | null;
const SORT_VALUE: Record<SortKey, (job: Job) => SortValue> = {
  id: (j) => j.schedulerJobId ?? j.id,
  name: (j) => j.name,
  user: (j) => j.user,
  state: (j) => `${STATE_ORDER.get(j.state) ?? 9} ${jobBadge(j).label}`,
  source: (j) => (j.source === 'queue' ? `queue ${j.queueId ?? ''}` : 'external'),
  cluster: (j) => j.cluster,
  partition: (j) => j.partition,
  time: (j) => slurmTimeToSeconds(j.timeUsed),
  resources: (j) => j.cpus,
  submitTime: (j) => j.submitTime,
  exit: (j) => exitOrReason(j) || null,
  cpuEff: (j) => j.efficiency?.cpuEfficiency ?? null,
  memEff: (j) => j.efficiency?.memoryEfficiency ?? null,
};

function compareValues(a: SortValue, b: SortValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return collator.compare(String(a), String(b));
}

/** Stable sort; missing values go last in both directions; ties fall back to newest submit first. */
export function sortJobs(jobs: readonly Job[], sort: JobSort): Job[] {
  const value = SORT_VALUE[sort.key];
  const sign = sort.dir === 'asc' ? 1 : -1;
  const keyed = jobs.map((job) => ({ job, v: value(job) }));
  keyed.sort((x, y) => {
    const xMissing = x.v === null || x.v === '';
    const yMissing = y.v === null || y.v === '';
    if (xMissing || yMissing)
      return xMissing === yMissing ? tieBreak(x.job, y.job) : xMissing ? 1 : -1;
    return compareValues(x.v, y.v) * sign || tieBreak(x.job, y.job);
  });
  return keyed.map((k) => k.job);
}

const tieBreak = (a: Job, b: Job): number =>
  (b.submitTime ?? '').localeCompare(a.submitTime ?? '') || collator.compare(a.id, b.id);
