import { z } from 'zod';

/**
 * How much of what a finished job asked for it used, from accounting (sacct
 * TotalCPU, Elapsed, AllocCPUS, MaxRSS of the steps, ReqMem). Every figure is
 * null when accounting did not give it. On an array's own row the figures are
 * over its tasks that have them: cpuSeconds and elapsedSeconds are sums,
 * cpuEfficiency is summed CPU time over summed allocated CPU time, allocCpus
 * and both memory figures are the largest of any task.
 */
export const JobEfficiency = z.object({
  /** CPU time the job's processes used (user + system), seconds. */
  cpuSeconds: z.number().nonnegative().nullable(),
  /** Wall-clock seconds from start to end. */
  elapsedSeconds: z.number().nonnegative().nullable(),
  allocCpus: z.number().int().nonnegative().nullable(),
  /**
   * cpuSeconds / (elapsedSeconds × allocCpus): 1 means every allocated CPU
   * was busy the whole time. Null when a factor is unknown or the job ran 0 s.
   */
  cpuEfficiency: z.number().nonnegative().nullable(),
  /** The largest resident set of any step, bytes. */
  maxRssBytes: z.number().int().nonnegative().nullable(),
  /** Memory the job asked for (whole job), bytes. */
  requestedMemoryBytes: z.number().int().nonnegative().nullable(),
  /** maxRssBytes / requestedMemoryBytes. */
  memoryEfficiency: z.number().nonnegative().nullable(),
});
export type JobEfficiency = z.infer<typeof JobEfficiency>;

export interface EfficiencyFigures {
  cpuSeconds: number | null;
  elapsedSeconds: number | null;
  allocCpus: number | null;
  maxRssBytes: number | null;
  requestedMemoryBytes: number | null;
}

const ratio = (used: number | null, of: number | null): number | null =>
  used === null || of === null || of <= 0 ? null : used / of;

/** The efficiency of these figures; null when accounting gave none of them. */
export function jobEfficiency(f: EfficiencyFigures): JobEfficiency | null {
  if (Object.values(f).every((v) => v === null)) return null;
  const allocated =
    f.elapsedSeconds === null || f.allocCpus === null ? null : f.elapsedSeconds * f.allocCpus;
  return {
    ...f,
    cpuEfficiency: ratio(f.cpuSeconds, allocated),
    memoryEfficiency: ratio(f.maxRssBytes, f.requestedMemoryBytes),
  };
}

/**
 * What a set of finished jobs (a queue's tasks) used of what they asked:
 * `jobs` counts those with any figure; CPU figures are over jobs with CPU
 * time and allocation, memory figures over jobs with MaxRSS and ReqMem.
 */
export const EfficiencySummary = z.object({
  jobs: z.number().int().nonnegative(),
  /** Summed CPU time over summed allocated CPU time. */
  cpuEfficiency: z.number().nonnegative().nullable(),
  /** The lowest and highest of the jobs' own CPU efficiencies. */
  minCpuEfficiency: z.number().nonnegative().nullable(),
  maxCpuEfficiency: z.number().nonnegative().nullable(),
  /** Most CPUs any job had, and how many CPUs the jobs kept busy on average (CPU time / elapsed). */
  maxAllocCpus: z.number().int().nonnegative().nullable(),
  busyCpus: z.number().nonnegative().nullable(),
  /** The most memory any job used, and the most any job asked for. */
  maxRssBytes: z.number().int().nonnegative().nullable(),
  maxRequestedMemoryBytes: z.number().int().nonnegative().nullable(),
});
export type EfficiencySummary = z.infer<typeof EfficiencySummary>;

/** A smaller request that the jobs' own use says would do, in the task's formats (`2G`, `2` CPUs). */
export interface RightSizeHint {
  memory: {
    usedBytes: number;
    askedBytes: number;
    suggested: string;
    suggestedBytes: number;
  } | null;
  cpus: { busy: number; asked: number; suggested: number } | null;
}

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;
/** Headroom over the most any job used, so a slightly bigger input does not run out. */
const HEADROOM = 1.2;

/**
 * A memory request that covers the most any job used with 20 % headroom,
 * rounded up to a multiple of 128 MiB below 1 GiB and to whole GiB above
 * (1.1 GiB used -> `2G`); only when it is below what was asked. A CPU count
 * that covers the average number of busy CPUs with the same headroom, only
 * when below the most asked.
 */
export function rightSizeHint(s: EfficiencySummary): RightSizeHint {
  let memory: RightSizeHint['memory'] = null;
  if (s.maxRssBytes !== null && s.maxRequestedMemoryBytes !== null && s.maxRssBytes > 0) {
    const need = s.maxRssBytes * HEADROOM;
    const suggestedBytes =
      need <= GiB ? Math.ceil(need / (128 * MiB)) * 128 * MiB : Math.ceil(need / GiB) * GiB;
    if (suggestedBytes < s.maxRequestedMemoryBytes) {
      const suggested =
        suggestedBytes % GiB === 0 ? `${suggestedBytes / GiB}G` : `${suggestedBytes / MiB}M`;
      memory = {
        usedBytes: s.maxRssBytes,
        askedBytes: s.maxRequestedMemoryBytes,
        suggested,
        suggestedBytes,
      };
    }
  }
  let cpus: RightSizeHint['cpus'] = null;
  if (s.busyCpus !== null && s.maxAllocCpus !== null) {
    const suggested = Math.max(1, Math.ceil(s.busyCpus * HEADROOM));
    if (suggested < s.maxAllocCpus) cpus = { busy: s.busyCpus, asked: s.maxAllocCpus, suggested };
  }
  return { memory, cpus };
}
