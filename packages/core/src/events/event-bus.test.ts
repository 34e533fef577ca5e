import { describe, expect, it } from 'vitest';
import { EventBus } from './event-bus';

describe('EventBus', () => {
  it('delivers events in order with increasing sequence numbers', () => {
    const bus = new EventBus<string>();
    const seen: [number, string][] = [];
    bus.subscribe(({ seq, event }) => seen.push([seq, event]));
    bus.publish('a');
    bus.publish('b');
    expect(seen).toEqual([
      [1, 'a'],
      [2, 'b'],
    ]);
  });

  it('replays what a reconnecting subscriber missed', () => {
    const bus = new EventBus<string>();
    ['a', 'b', 'c', 'd'].forEach((e) => bus.publish(e));
    expect(bus.since(2)?.map((i) => i.event)).toEqual(['c', 'd']);
    expect(bus.since(4)).toEqual([]);
  });

  it('says so when missed events fell out of the buffer', () => {
    const bus = new EventBus<number>(3);
    for (let i = 0; i < 10; i++) bus.publish(i);
    expect(bus.since(7)?.map((i) => i.event)).toEqual([7, 8, 9]);
    expect(bus.since(6)).toBeNull();
  });

  it('stops delivering after unsubscribe', () => {
    const bus = new EventBus<string>();
    const seen: string[] = [];
    const off = bus.subscribe(({ event }) => seen.push(event));
    bus.publish('a');
    off();
    bus.publish('b');
    expect(seen).toEqual(['a']);
  });
});
