import type { ConnectionInfo } from '../../domain/connection';
import { awsCoreError, connectionProblemOf, type AwsCallContext } from './classify-aws-error';
import type { AwsAccess } from './aws-access';

/**
 * The connection as the last calls found it, for `Backend.connection()`.
 * A success means connected; a failure changes it only when the error says
 * something about credentials, permissions or the network (a throttled call
 * or a refused spec leaves it as it was). `connecting` until the first answer.
 */
export class ConnectionTracker {
  private info: ConnectionInfo = { state: 'connecting', lastError: null };

  constructor(
    private readonly service: string,
    private readonly access: AwsAccess,
  ) {}

  current(): ConnectionInfo {
    return this.info;
  }

  succeeded(): void {
    if (this.info.state !== 'connected') this.info = { state: 'connected', lastError: null };
  }

  /** Records what `e` says about the connection; returns the context for messages. */
  failed(e: unknown, action: string): AwsCallContext {
    const c = this.context(action);
    const problem = connectionProblemOf(e, c);
    if (problem !== null) this.info = problem;
    return c;
  }

  /** A problem found by other means (a job queue that does not exist). */
  set(info: ConnectionInfo): void {
    this.info = info;
  }

  context(action: string): AwsCallContext {
    return { service: this.service, action, access: this.access };
  }

  /**
   * Runs one SDK call, recording its result; rejects with a CoreError whose
   * message says what went wrong and how to fix it.
   */
  async call<T>(action: string, fn: () => Promise<T>): Promise<T> {
    try {
      const out = await fn();
      this.succeeded();
      return out;
    } catch (e) {
      throw awsCoreError(e, this.failed(e, action));
    }
  }
}
