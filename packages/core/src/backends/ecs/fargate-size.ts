/**
 * Fargate task sizes for whole vCPUs (Task.cpu/memory in the ECS model;
 * AmazonECS/latest/developerguide/fargate-tasks-services.html): memory from
 * `min` to `max` MiB in steps of `step`. ScriptHut tasks ask for whole CPUs,
 * so the 0.25 and 0.5 vCPU sizes are never needed.
 */
const FARGATE_SIZES: Readonly<Record<number, { min: number; max: number; step: number }>> = {
  1: { min: 2_048, max: 8_192, step: 1_024 },
  2: { min: 4_096, max: 16_384, step: 1_024 },
  4: { min: 8_192, max: 30_720, step: 1_024 },
  8: { min: 16_384, max: 61_440, step: 4_096 },
  16: { min: 32_768, max: 122_880, step: 8_192 },
};

export type FargateSize =
  | { ok: true; cpuUnits: number; memoryMiB: number }
  | { ok: false; field: 'cpus' | 'memory'; message: string };

/**
 * The smallest Fargate size with `cpus` vCPUs and at least `memoryMiB`
 * (rounded up to the next size Fargate offers), or why there is none.
 */
export function fargateSize(cpus: number, memoryMiB: number): FargateSize {
  const size = FARGATE_SIZES[cpus];
  if (size === undefined) {
    return {
      ok: false,
      field: 'cpus',
      message: `Fargate runs tasks with 1, 2, 4, 8 or 16 vCPUs, not ${cpus}`,
    };
  }
  if (memoryMiB > size.max) {
    return {
      ok: false,
      field: 'memory',
      message: `Fargate gives a ${cpus} vCPU task at most ${size.max / 1024} GB of memory, not ${memoryMiB} MiB; ask for more cpus or less memory`,
    };
  }
  const rounded = Math.max(size.min, Math.ceil(memoryMiB / size.step) * size.step);
  return { ok: true, cpuUnits: cpus * 1024, memoryMiB: rounded };
}
