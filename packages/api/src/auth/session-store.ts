import { createHash, randomBytes } from 'node:crypto';
import type { Actor } from '@scripthut/core';

export interface SessionStoreOptions {
  /** A session ends after this long without a request. */
  idleMs: number;
  /** A session ends this long after login, however active. */
  maxAgeMs?: number;
  /** Oldest sessions are dropped beyond this many (bounds memory under login floods). */
  maxSessions?: number;
  now?: () => number;
}

interface Session {
  createdMs: number;
  lastSeenMs: number;
  /** Who logged in: a named user, or the shared account. */
  actor: Actor;
}

/**
 * Server-side login sessions, in memory: a restart logs everyone out.
 * The map is keyed by a SHA-256 of the session id, so it never holds a
 * usable cookie value.
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly now: () => number;
  private readonly maxAgeMs: number;
  private readonly maxSessions: number;

  constructor(private readonly o: SessionStoreOptions) {
    this.now = o.now ?? Date.now;
    this.maxAgeMs = o.maxAgeMs ?? 30 * 86_400_000;
    this.maxSessions = o.maxSessions ?? 1_000;
  }

  /** A new session of `actor`; returns its id (256 random bits, base64url), the cookie value. */
  create(actor: Actor): string {
    const id = randomBytes(32).toString('base64url');
    const nowMs = this.now();
    this.sessions.set(digest(id), { createdMs: nowMs, lastSeenMs: nowMs, actor });
    while (this.sessions.size > this.maxSessions) {
      const oldest = this.sessions.keys().next().value;
      if (oldest === undefined) break;
      this.sessions.delete(oldest);
    }
    return id;
  }

  /** Who the live session `id` belongs to, or null; extends its idle time. Expired sessions are removed. */
  touch(id: string | undefined): Actor | null {
    if (!id || id.length > 100) return null;
    const key = digest(id);
    const session = this.sessions.get(key);
    if (!session) return null;
    const nowMs = this.now();
    if (nowMs - session.lastSeenMs > this.o.idleMs || nowMs - session.createdMs > this.maxAgeMs) {
      this.sessions.delete(key);
      return null;
    }
    session.lastSeenMs = nowMs;
    return session.actor;
  }

  delete(id: string | undefined): void {
    if (id) this.sessions.delete(digest(id));
  }

  get size(): number {
    return this.sessions.size;
  }
}

const digest = (id: string): string => createHash('sha256').update(id).digest('base64url');
