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
