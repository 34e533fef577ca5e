import type { Clock } from '../runtime/clock';
import type { RunOptions } from '../runtime/command-runner';
import { CoreError } from '../runtime/errors';

/** Where a command is when its deadline, abort or close strikes. */
export type CommandPhase = 'queued' | 'connecting' | 'running';

export interface DeadlineContext {
  clock: Clock;
  where: string;
  /** Aborted when the connection is closed for good. */
  closeSignal: AbortSignal;
  phase: () => CommandPhase;
  /** The error for a command that never got to run because the connection is not up, with its wait in ms. */
  unavailable: (waitedMs: number) => CoreError | null;
  closedError: () => CoreError;
}

/**
 * One AbortSignal for a command that fires on the caller's signal, on its
 * timeout (measured on the injected clock, from the call) or on close, with
 * an error saying whether the command had started: a command that never ran
 * may be retried safely. Call `dispose` when the command settles.
 */
export function commandDeadline(
  options: RunOptions,
  context: DeadlineContext,
): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const { where } = context;
  const onUserAbort = (): void => {
    const started = context.phase() === 'running';
    controller.abort(
      new CoreError(
        'COMMAND_ABORTED',
        `Command on ${where} was aborted${started ? '' : ' before it started'}.`,
        { started },
      ),
    );
  };
  const onClose = (): void => controller.abort(context.closedError());
  if (options.signal?.aborted) onUserAbort();
  options.signal?.addEventListener('abort', onUserAbort, { once: true });
  if (context.closeSignal.aborted) onClose();
  context.closeSignal.addEventListener('abort', onClose, { once: true });

  const timer = new AbortController();
  const timeoutMs = options.timeoutMs;
  if (timeoutMs !== undefined && !controller.signal.aborted) {
    context.clock.sleep(timeoutMs, timer.signal).then(
      () => controller.abort(timeoutError(timeoutMs, context)),
      () => undefined,
    );
  }
  return {
    signal: controller.signal,
    dispose: () => {
      options.signal?.removeEventListener('abort', onUserAbort);
      context.closeSignal.removeEventListener('abort', onClose);
      timer.abort();
    },
  };
}

function timeoutError(timeoutMs: number, context: DeadlineContext): CoreError {
  const phase = context.phase();
  if (phase === 'running') {
    return new CoreError(
      'COMMAND_TIMEOUT',
      `Command on ${context.where} timed out after ${timeoutMs} ms; it was stopped.`,
      { started: true, timeoutMs },
    );
  }
  const unavailable = context.unavailable(timeoutMs);
  if (unavailable) return unavailable;
  return new CoreError(
    'COMMAND_TIMEOUT',
    `Command on ${context.where} timed out after ${timeoutMs} ms waiting for a free SSH channel; it never started.`,
    { started: false, timeoutMs },
  );
}
