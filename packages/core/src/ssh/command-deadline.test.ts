import { describe, expect, it } from 'vitest';
import { CoreError } from '../runtime/errors';
import { FakeClock, flushMicrotasks } from '../runtime/fake-clock';
import { commandDeadline, type CommandPhase, type DeadlineContext } from './command-deadline';

function setup(phase: CommandPhase, unavailable: CoreError | null = null) {
  const clock = new FakeClock();
  const close = new AbortController();
  const context: DeadlineContext = {
    clock,
    where: 'u@h:22',
    closeSignal: close.signal,
    phase: () => phase,
    unavailable: () => unavailable,
    closedError: () => new CoreError('CLUSTER_UNAVAILABLE', 'closed'),
  };
  return { clock, close, context };
}

const reasonOf = (signal: AbortSignal): CoreError => signal.reason as CoreError;

describe('commandDeadline', () => {
  it('times out a running command with COMMAND_TIMEOUT, started', async () => {
    const { clock, context } = setup('running');
    const { signal } = commandDeadline({ timeoutMs: 5_000 }, context);
    await clock.advance(4_999);
    expect(signal.aborted).toBe(false);
    await clock.advance(1);
    expect(reasonOf(signal)).toMatchObject({ code: 'COMMAND_TIMEOUT', details: { started: true } });
  });

  it('times out a command still waiting for the connection with the unavailable error', async () => {
    const unavailable = new CoreError('CLUSTER_UNAVAILABLE', 'down', { started: false });
    const { clock, context } = setup('connecting', unavailable);
    const { signal } = commandDeadline({ timeoutMs: 100 }, context);
    await clock.advance(100);
    expect(reasonOf(signal)).toBe(unavailable);
  });

  it('times out a command queued for a channel on a live connection as never started', async () => {
    const { clock, context } = setup('queued');
    const { signal } = commandDeadline({ timeoutMs: 100 }, context);
    await clock.advance(100);
    expect(reasonOf(signal)).toMatchObject({
      code: 'COMMAND_TIMEOUT',
      details: { started: false },
    });
  });

  it('turns the caller abort into COMMAND_ABORTED and close into the closed error', () => {
    const caller = new AbortController();
    const { context, close } = setup('running');
    const aborted = commandDeadline({ signal: caller.signal }, context);
    caller.abort();
    expect(reasonOf(aborted.signal)).toMatchObject({
      code: 'COMMAND_ABORTED',
      details: { started: true },
    });
    const closed = commandDeadline({}, context);
    close.abort();
    expect(reasonOf(closed.signal).message).toBe('closed');
  });

  it('leaves no sleep pending once disposed', async () => {
    const { clock, context } = setup('running');
    const { dispose, signal } = commandDeadline({ timeoutMs: 60_000 }, context);
    expect(clock.pendingSleeps).toBe(1);
    dispose();
    await flushMicrotasks();
    expect(clock.pendingSleeps).toBe(0);
    expect(signal.aborted).toBe(false);
  });
});
