/** Bounds on what a log read returns, whatever the backend. */
export const LOG_LIMITS = {
  tailLines: 10_000,
  tailBytes: 5 * 1024 * 1024,
  downloadBytes: 20 * 1024 * 1024,
  followChunkBytes: 256 * 1024,
  followPollMs: 1_000,
  commandTimeoutMs: 30_000,
} as const;
