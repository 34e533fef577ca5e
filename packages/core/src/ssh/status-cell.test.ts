import { describe, expect, it } from 'vitest';
import { FakeClock } from '../runtime/fake-clock';
import { SessionGate } from './session-gate';
import { StatusCell } from './status-cell';
import type { SshStatus } from './ssh-target';

describe('StatusCell', () => {
  it('notifies on a change of state or lastError only, keeping since while the state holds', async () => {
    const clock = new FakeClock();
    const logged: string[] = [];
    const cell = new StatusCell(clock, (m) => logged.push(m));
    const seen: SshStatus[] = [];
    cell.subscribe((s) => seen.push(s));
    cell.set('unreachable', 'refused', 'SSH_UNREACHABLE');
    const since = cell.current.since;
    await clock.advance(1_000);
    cell.set('unreachable', 'refused', 'SSH_UNREACHABLE');
    cell.set('unreachable', 'timed out', 'SSH_UNREACHABLE');
    expect(seen.map((s) => s.lastError)).toEqual(['refused', 'timed out']);
    expect(cell.current.since).toBe(since);
    cell.set('connected', null, null);
    expect(cell.current.since.getTime()).toBe(since.getTime() + 1_000);
    expect(logged).toEqual(['unreachable: refused', 'unreachable: timed out', 'connected']);
  });

  it('keeps calling other listeners when one throws, and stays disabled once disabled', () => {
    const cell = new StatusCell(new FakeClock(), () => undefined);
    const seen: string[] = [];
    cell.subscribe(() => {
      throw new Error('boom');
    });
    const unsubscribe = cell.subscribe((s) => seen.push(s.state));
    cell.set('connected', null, null);
    cell.set('disabled', null, null);
    cell.set('reconnecting', 'late', 'SSH_UNREACHABLE');
    unsubscribe();
    expect(seen).toEqual(['connected', 'disabled']);
    expect(cell.current.state).toBe('disabled');
  });
});

describe('SessionGate', () => {
  it('releases every waiter when a session opens, and serves later callers at once', async () => {
    const gate = new SessionGate<string>();
    const never = new AbortController().signal;
    const waiting = [gate.wait(never), gate.wait(never)];
    gate.open('s1');
    await expect(Promise.all(waiting)).resolves.toEqual(['s1', 's1']);
    await expect(gate.wait(never)).resolves.toBe('s1');
    gate.shut('other');
    expect(gate.value).toBe('s1');
    gate.shut('s1');
    expect(gate.value).toBeNull();
  });

  it('rejects an aborted waiter with its reason and the rest on rejectAll', async () => {
    const gate = new SessionGate<string>();
    const controller = new AbortController();
    const aborted = gate.wait(controller.signal);
    const rest = gate.wait(new AbortController().signal);
    controller.abort(new Error('timeout'));
    await expect(aborted).rejects.toThrow('timeout');
    gate.rejectAll(new Error('auth failed'));
    await expect(rest).rejects.toThrow('auth failed');
    gate.open('s2');
    await expect(aborted).rejects.toThrow('timeout');
  });
});
