import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { newJob, type Job } from '../domain/job';

/** Test-only helpers shared by the history tests. */

export function makeJob(overrides: Partial<Job> & Pick<Job, 'id'>): Job {
  return newJob({
    cluster: 'hpc',
    name: 'job',
    user: 'alice',
    state: 'running',
    source: 'external',
    updatedAt: '2026-03-01T12:00:00.000Z',
    ...overrides,
  });
}

/** A fresh directory under the OS temp dir, and its removal. */
export function makeTempDir(prefix = 'scripthut-history-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * File-system fault injection for the store-failure tests. They need root
 * (tests here run as root, where chmod does not stop writes), so each helper
 * reports whether the technique works on this machine and the tests skip,
 * saying why, when it does not.
 */
export function tryRun(command: string, args: readonly string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Mounts a tmpfs of `size` (e.g. `1m`) on `dir`; false when mounting is not permitted here. */
export const mountTmpfs = (dir: string, size: string): boolean =>
  tryRun('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]);

export const remount = (dir: string, mode: 'ro' | 'rw'): void => {
  execFileSync('mount', ['-o', `remount,${mode}`, dir], { stdio: 'ignore' });
};

export const unmount = (dir: string): boolean =>
  tryRun('umount', [dir]) || tryRun('umount', ['-l', dir]);

/** Sets or clears the immutable attribute; false when the file system does not support it. */
export const setImmutable = (paths: readonly string[], on: boolean): boolean =>
  tryRun('chattr', [on ? '+i' : '-i', ...paths]);

/**
 * Opens a history database file read-only (the server must be stopped, or
 * at least not writing) and reports SQLite's integrity check, how many
 * submission records of `queueId` are in each state, and the tags of those
 * still open (`intent` or `unknown`: the outcome was never recorded).
 */
export function inspectDatabase(
  path: string,
  queueId?: string,
): { integrity: string; submissions: Record<string, number>; open: string[] } {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const integrity = String(db.pragma('integrity_check', { simple: true }));
    const ofQueue = 'FROM submissions WHERE (? IS NULL OR queue_id = ?)';
    const rows = db
      .prepare(`SELECT state, count(*) AS n ${ofQueue} GROUP BY state`)
      .all(queueId ?? null, queueId ?? null) as { state: string; n: number }[];
    const open = db
      .prepare(`SELECT tag ${ofQueue} AND state IN ('intent', 'unknown') ORDER BY tag`)
      .all(queueId ?? null, queueId ?? null) as { tag: string }[];
    return {
      integrity,
      submissions: Object.fromEntries(rows.map((r) => [r.state, r.n])),
      open: open.map((r) => r.tag),
    };
  } finally {
    db.close();
  }
}
