import type { Clock } from '../runtime/clock';
import { CoreError } from '../runtime/errors';
import type { QueueStore } from './queue-store';

export interface SubmitContext {
  store: QueueStore;
  clock: Clock;
  submitTimeoutMs: number;
  log: (message: string) => void;
  /** Re-checked before the intents are recorded and again before the backend is asked; absent: this instance leads every cluster. */
  leadership?: { claim(cluster: string): Promise<boolean> };
}

/** `deferred`: the scheduler certainly queued nothing (unreachable); the task is pending again. */
export type SubmitTaskResult = 'submitted' | 'rejected' | 'unknown' | 'deferred';

/** Races `run` against the injected clock; on timeout aborts it and rejects with COMMAND_TIMEOUT. */
export async function withTimeout<T>(clock: Clock, timeoutMs: number, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const work = new AbortController();
  const timer = new AbortController();
  const expired = clock.sleep(timeoutMs, timer.signal).then(
    () => {
      work.abort(new Error('timed out'));
      throw new CoreError('COMMAND_TIMEOUT', `no answer within ${timeoutMs} ms`);
    },
    () => new Promise<never>(() => undefined),
  );
  try {
    return await Promise.race([run(work.signal), expired]);
  } finally {
    timer.abort(new Error('settled'));
  }
}
