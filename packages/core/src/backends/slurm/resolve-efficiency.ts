import { jobEfficiency, type JobEfficiency } from '../../domain/efficiency';
import type { SacctRow } from './parse-sacct';
import { durationSeconds } from './slurm-values';

/**
 * Efficiency of a finished job from its sacct rows (captured in
 * __fixtures__/sacct-cpu-burn, sacct-steps-completed):
 * - CPU time is the allocation row's TotalCPU, which sacct sums over the
 *   steps; the steps' own sum stands in only when the allocation has none;
 * - allocated CPU time is the allocation's Elapsed × AllocCPUS;
 * - memory used is the largest MaxRSS of any step (the allocation row has
 *   none), asked is the allocation's ReqMem.
 * A job without any step never ran: null.
 */
export function resolveEfficiency(
  allocation: SacctRow,
  steps: readonly SacctRow[],
): JobEfficiency | null {
  if (steps.length === 0) return null;
  let maxRssBytes: number | null = null;
  let stepCpuSeconds: number | null = null;
  for (const step of steps) {
    if (step.maxRssBytes !== null) maxRssBytes = Math.max(maxRssBytes ?? 0, step.maxRssBytes);
    if (step.totalCpuSeconds !== null)
      stepCpuSeconds = (stepCpuSeconds ?? 0) + step.totalCpuSeconds;
  }
  return jobEfficiency({
    cpuSeconds: allocation.totalCpuSeconds ?? stepCpuSeconds,
    elapsedSeconds: allocation.elapsed === null ? null : durationSeconds(allocation.elapsed),
    allocCpus: allocation.allocCpus,
    maxRssBytes,
    requestedMemoryBytes: allocation.reqMemBytes,
  });
}
