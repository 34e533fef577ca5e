/**
 * An SDK shape as it travels in AWS JSON: the SDK's `Date` members are epoch
 * seconds (a JSON number) on the wire.
 */
export type Wire<T> = T extends Date
  ? number
  : T extends (infer U)[]
    ? Wire<U>[]
    : T extends object
      ? { [K in keyof T]: Wire<T[K]> }
      : T;

/** Epoch milliseconds to AWS JSON's epoch seconds (fractional, as AWS sends them). */
export const toEpochSeconds = (ms: number): number => Math.round(ms) / 1000;
