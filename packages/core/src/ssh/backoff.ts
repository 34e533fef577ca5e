export interface BackoffPolicy {
  firstDelayMs: number;
  maxDelayMs: number;
}

/** Network failures: the host may come back any moment. */
export const NETWORK_BACKOFF: BackoffPolicy = { firstDelayMs: 1_000, maxDelayMs: 60_000 };

/** Auth, key and host key failures: a human must fix something, so retrying fast only fills logs. */
export const FIX_NEEDED_BACKOFF: BackoffPolicy = { firstDelayMs: 60_000, maxDelayMs: 600_000 };

/**
 * Delay before retry number `failures` (1 = after the first failure):
 * first, 2×first, 4×first … capped, scaled by 0.8–1.2 from `random` in [0, 1).
 */
export function backoffDelayMs(
  policy: BackoffPolicy,
  failures: number,
  random: () => number,
): number {
  const exponent = Math.max(0, Math.min(failures - 1, 30));
  const base = Math.min(policy.firstDelayMs * 2 ** exponent, policy.maxDelayMs);
  return Math.round(base * (0.8 + 0.4 * random()));
}
