/**
 * Runs async bodies one after the other, in call order: the async mutex
 * that keeps transactions of different callers off each other on one
 * connection. A body that fails does not stop the ones queued after it.
 */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(body: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(body);
    this.#tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /** Resolves once everything queued so far has finished. */
  idle(): Promise<void> {
    return this.run(() => Promise.resolve());
  }
}
