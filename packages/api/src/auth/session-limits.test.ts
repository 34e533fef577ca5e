import { SHARED_ACTOR } from '@scripthut/core';
import { describe, expect, it } from 'vitest';
import { LoginLimiter } from './login-limiter';
import { SessionStore } from './session-store';

describe('SessionStore', () => {
  it('gives 256-bit ids, extends on use, and ends idle or old sessions', () => {
    let nowMs = 0;
    const store = new SessionStore({ idleMs: 1_000, maxAgeMs: 5_000, now: () => nowMs });
    const id = store.create(SHARED_ACTOR);
    expect(Buffer.from(id, 'base64url')).toHaveLength(32);
    for (let i = 0; i < 4; i++) {
      nowMs += 900;
      expect(store.touch(id)).toEqual(SHARED_ACTOR);
    }
    nowMs += 1_500;
    expect(store.touch(id)).toBeNull();
    const old = store.create(SHARED_ACTOR);
    for (let i = 0; i < 6; i++) {
      nowMs += 900;
      store.touch(old);
    }
    expect(store.touch(old)).toBeNull();
    expect(store.touch(undefined)).toBeNull();
    expect(store.touch('x'.repeat(1_000))).toBeNull();
  });

  it('drops the oldest sessions beyond the cap', () => {
    const store = new SessionStore({ idleMs: 1_000, maxSessions: 2 });
    const [a, b, c] = [store.create(SHARED_ACTOR), store.create(SHARED_ACTOR), store.create(SHARED_ACTOR)];
    expect([store.touch(a), store.touch(b), store.touch(c), store.size]).toEqual([null, SHARED_ACTOR, SHARED_ACTOR, 2]);
  });

  it('remembers who logged in', () => {
    const store = new SessionStore({ idleMs: 1_000 });
    const id = store.create({ user: 'alice', admin: false });
    expect(store.touch(id)).toEqual({ user: 'alice', admin: false });
  });

  it('forgets a logged-out session', () => {
    const store = new SessionStore({ idleMs: 1_000 });
    const id = store.create(SHARED_ACTOR);
    store.delete(id);
    expect(store.touch(id)).toBeNull();
  });
});

describe('LoginLimiter', () => {
  it('blocks a client after 5 failures for the rest of the window, others unaffected', () => {
    let nowMs = 0;
    const limiter = new LoginLimiter({ now: () => nowMs, windowMs: 60_000 });
    for (let i = 0; i < 5; i++) {
      expect(limiter.retryAfterMs('a')).toBe(0);
      limiter.failed('a');
    }
    nowMs = 10_000;
    expect(limiter.retryAfterMs('a')).toBe(50_000);
    expect(limiter.retryAfterMs('b')).toBe(0);
    nowMs = 60_000;
    expect(limiter.retryAfterMs('a')).toBe(0);
  });

  it('blocks everyone when all clients together fail too often', () => {
    const limiter = new LoginLimiter({ now: () => 0, maxFailuresTotal: 3 });
    ['a', 'b', 'c'].forEach((c) => limiter.failed(c));
    expect(limiter.retryAfterMs('d')).toBeGreaterThan(0);
  });

  it('clears a client on success', () => {
    const limiter = new LoginLimiter({ now: () => 0 });
    for (let i = 0; i < 4; i++) limiter.failed('a');
    limiter.succeeded('a');
    limiter.failed('a');
    expect(limiter.retryAfterMs('a')).toBe(0);
  });
});
