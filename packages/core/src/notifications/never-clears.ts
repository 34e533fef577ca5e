import { stuckReason } from '../queue/queue-status';

/**
 * Pending reasons that do not clear by waiting: Slurm's (PartitionConfig,
 * DependencyNeverSatisfied, … see STUCK_REASONS) and AWS Batch's
 * `MISCONFIGURATION:…` RUNNABLE reasons.
 */
export function neverClears(reason: string | null): boolean {
  if (reason === null) return false;
  return stuckReason(reason) !== null || /^MISCONFIGURATION:/.test(reason.trim());
}
