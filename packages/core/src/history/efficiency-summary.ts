import { sql } from 'kysely';
import type { EfficiencySummary } from '../domain/efficiency';
import type { StoreContext } from './store-context';

/** Rows whose CPU figures are all there, so sums of used and allocated time compare like with like. */
const CPU_FIGURES = sql`cpu_seconds is not null and elapsed_seconds > 0 and alloc_cpus > 0`;

export interface EfficiencyFilter {
  queueId: string;
}

/**
 * One aggregate over the finished jobs of a queue (never arrays' own rows,
 * whose tasks are counted themselves). See EfficiencySummary.
 */
export async function efficiencySummary(
  { db, exec }: Pick<StoreContext, 'db' | 'exec'>,
  filter: EfficiencyFilter,
): Promise<EfficiencySummary> {
  const row = await exec.read(() =>
    exec.first(
      db
        .selectFrom('jobs')
        .where('queue_id', '=', filter.queueId)
        .where('array_counts', 'is', null)
        .where((eb) =>
          eb.or([
            eb('cpu_seconds', 'is not', null),
            eb('max_rss_bytes', 'is not', null),
            eb('requested_memory_bytes', 'is not', null),
          ]),
        )
        .select([
          sql<number>`count(*)`.as('jobs'),
          sql<number | null>`sum(case when ${CPU_FIGURES} then cpu_seconds end)`.as('cpu'),
          sql<
            number | null
          >`sum(case when ${CPU_FIGURES} then elapsed_seconds * alloc_cpus end)`.as('allocated'),
          sql<number | null>`sum(case when ${CPU_FIGURES} then elapsed_seconds end)`.as('elapsed'),
          sql<number | null>`min(cpu_efficiency)`.as('minCpu'),
          sql<number | null>`max(cpu_efficiency)`.as('maxCpu'),
          sql<number | null>`max(alloc_cpus)`.as('cpus'),
          sql<number | null>`max(max_rss_bytes)`.as('rss'),
          sql<number | null>`max(requested_memory_bytes)`.as('asked'),
        ]),
    ),
  );
  const cpu = row?.cpu ?? null;
  const allocated = row?.allocated ?? null;
  const elapsed = row?.elapsed ?? null;
  return {
    jobs: Number(row?.jobs ?? 0),
    cpuEfficiency: cpu !== null && allocated ? cpu / allocated : null,
    minCpuEfficiency: row?.minCpu ?? null,
    maxCpuEfficiency: row?.maxCpu ?? null,
    maxAllocCpus: row?.cpus ?? null,
    busyCpus: cpu !== null && elapsed ? cpu / elapsed : null,
    maxRssBytes: row?.rss ?? null,
    maxRequestedMemoryBytes: row?.asked ?? null,
  };
}
