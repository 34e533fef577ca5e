import type { ConnectionState } from '../domain/cluster';
import type { Clock } from '../runtime/clock';
import type { CoreErrorCode } from '../runtime/errors';
import type { SshStatus, SshStatusListener } from './ssh-target';

/**
 * The connection's current status and its listeners. Listeners run
 * synchronously on every change of state or lastError; one that throws is
 * logged and does not stop the others. Once `disabled`, the status is final.
 */
export class StatusCell {
  private value: SshStatus;
  private readonly listeners = new Set<SshStatusListener>();

  constructor(
    private readonly clock: Clock,
    private readonly log: (message: string) => void,
  ) {
    this.value = { state: 'connecting', lastError: null, lastErrorCode: null, since: clock.now() };
  }

  get current(): SshStatus {
    return this.value;
  }

  subscribe(listener: SshStatusListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  set(state: ConnectionState, lastError: string | null, lastErrorCode: CoreErrorCode | null): void {
    const previous = this.value;
    if (previous.state === 'disabled') return;
    if (previous.state === state && previous.lastError === lastError) return;
    const since = previous.state === state ? previous.since : this.clock.now();
    this.value = { state, lastError, lastErrorCode, since };
    this.log(`${state}${lastError ? `: ${lastError}` : ''}`);
    for (const listener of [...this.listeners]) {
      try {
        listener(this.value);
      } catch (error) {
        this.log(`status listener threw: ${String(error)}`);
      }
    }
  }
}
