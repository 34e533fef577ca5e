import type { EvaluateOnExit } from '@aws-sdk/client-batch';
import { globMatch } from '../faults/job-faults';

/**
 * `retryStrategy.evaluateOnExit`: the first rule whose given conditions all
 * match (globs with a trailing-or-inner `*`) decides; when none matches the
 * job is retried, as the model documents.
 */
export function shouldRetry(
  rules: EvaluateOnExit[],
  exitCode: number | null,
  reason: string | undefined,
  statusReason: string | undefined,
): boolean {
  for (const rule of rules) {
    const conditions: [string | undefined, string | undefined][] = [
      [rule.onExitCode, exitCode === null ? undefined : String(exitCode)],
      [rule.onReason, reason],
      [rule.onStatusReason, statusReason],
    ];
    const matched = conditions.every(
      ([pattern, value]) =>
        pattern === undefined || (value !== undefined && globMatch(pattern, value)),
    );
    if (matched) return rule.action?.toUpperCase() !== 'EXIT';
  }
  return true;
}
