/** What a Slurm output-file pattern can be filled from. */
export interface OutputPathContext {
  /** `123` or, for an array task, `123_4`. */
  schedulerJobId: string;
  user: string;
  name: string;
  /** First allocated node, if known. */
  node: string | null;
}

export type ExpandedPath = { ok: true; path: string } | { ok: false; reason: string };

/**
 * Fill the replacement symbols sbatch allows in --output/--error (`%j`,
 * `%A`, `%a`, `%u`, `%x`, `%N`, `%%`, with optional zero padding such as
 * `%4a`): squeue prints the pattern, not the file name. A symbol that cannot
 * be filled from what the dashboard knows (`%j` of an array task, whose own
 * job id squeue does not show) makes the path unresolvable rather than wrong.
 */
export function expandOutputPath(pattern: string, ctx: OutputPathContext): ExpandedPath {
  const m = /^(\d+)(?:_(\d+))?$/.exec(ctx.schedulerJobId);
  const arrayJob = m?.[2] !== undefined ? m[1]! : null;
  const arrayTask = m?.[2] ?? null;
  let failure: string | null = null;
  const path = pattern.replace(/%(\d*)([%AaJjNnstux])/g, (whole, width: string, symbol: string) => {
    const pad = (value: string): string => (width ? value.padStart(Number(width), '0') : value);
    switch (symbol) {
      case '%':
        return '%';
      case 'A':
        return pad(arrayJob ?? ctx.schedulerJobId);
      case 'a':
        if (arrayTask === null) {
          failure = `${whole} needs an array task id`;
          return whole;
        }
        return pad(arrayTask);
      case 'j':
      case 'J':
        if (arrayTask !== null || m === null) {
          failure = `${whole} of an array task is its own job id, which the queue listing does not show`;
          return whole;
        }
        return pad(ctx.schedulerJobId) + (symbol === 'J' ? '.batch' : '');
      case 'u':
        return ctx.user;
      case 'x':
        return ctx.name;
      case 'N':
        if (ctx.node === null) {
          failure = `${whole} needs the job's node, which is not known yet`;
          return whole;
        }
        return ctx.node;
      default:
        failure = `${whole} is not known before the job runs`;
        return whole;
    }
  });
  // Assigned in the callback above, which control-flow analysis does not see.
  const reason = failure as string | null;
  return reason === null ? { ok: true, path } : { ok: false, reason: `Cannot resolve ${pattern}: ${reason}` };
}
