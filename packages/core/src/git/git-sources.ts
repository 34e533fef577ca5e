import { join } from 'node:path';
import type { GitProgressEvent } from 'isomorphic-git';
import type { GitSourceConfig } from '../config/schema';
import type { SourceStatus } from '../domain/source';
import { CoreError } from '../runtime/errors';
import { headCommit, headSha } from './git-repo';
import { createEntry, type Entry, type EntryDeps } from './source-entry';
import { isSourceError, SourceError } from './source-error';
import {
  resetSource,
  syncSource,
  type RunOptions,
  type SourcePlan,
  type SyncResult,
} from './sync-source';
import type { SourceEvent, SourcesApi } from './sources-api';

export type { SourceEvent, SourcesApi } from './sources-api';

export interface GitSourcesDeps extends EntryDeps {
  sources: readonly GitSourceConfig[];
  publish: (event: SourceEvent) => void;
  log: (message: string) => void;
  /** One sync may take this long before it is aborted. Default 10 minutes. */
  syncTimeoutMs?: number;
  /** Least time between two progress events of one sync. Default 250 ms. */
  progressIntervalMs?: number;
}

/**
 * The configured git sources: one checkout each under the cache directory,
 * synced at start and on request. Operations on one source run one at a time;
 * every status change is published as a `source` event.
 */
export class GitSources implements SourcesApi {
  private readonly entries = new Map<string, Entry>();
  private readonly stopping = new AbortController();

  constructor(private readonly d: GitSourcesDeps) {
    for (const config of d.sources) this.entries.set(config.name, createEntry(config, d));
  }

  list(): SourceStatus[] {
    return [...this.entries.values()].map((e) => ({ ...e.status }));
  }

  sync(name: string): Promise<SourceStatus> {
    const entry = this.entry(name);
    entry.pendingSync ??= this.exclusive(entry, () => this.run(entry, syncSource)).finally(() => {
      entry.pendingSync = null;
    });
    return entry.pendingSync;
  }

  reset(name: string): Promise<SourceStatus> {
    const entry = this.entry(name);
    return this.exclusive(entry, () => this.run(entry, resetSource));
  }

  async currentCommit(name: string): Promise<string | null> {
    return headSha(this.checkoutDir(name));
  }

  checkoutDir(name: string): string {
    this.entry(name);
    return join(this.d.cacheDir, name);
  }

  withCheckout<T>(
    name: string,
    fn: (checkout: { dir: string; commit: string | null }) => Promise<T>,
  ): Promise<T> {
    const entry = this.entry(name);
    const dir = this.checkoutDir(name);
    return this.exclusive(entry, async () => fn({ dir, commit: await headSha(dir) }));
  }

  /** Read what is on disk, then sync every source in the background. */
  start(): void {
    for (const [name, entry] of this.entries) {
      void this.exclusive(entry, () => this.refreshCommit(entry)).then(() => this.publish(entry));
      this.sync(name).catch((error: unknown) => {
        this.d.log(
          `[source ${name}] sync failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      });
    }
  }

  /** Abort running syncs and wait for them to settle. */
  async stop(): Promise<void> {
    this.stopping.abort(new SourceError('other', 'The server is shutting down.'));
    await Promise.all([...this.entries.values()].map((e) => e.tail.catch(() => undefined)));
  }

  private entry(name: string): Entry {
    const entry = this.entries.get(name);
    if (!entry) throw new CoreError('NOT_FOUND', `No git source named ${name}`, { source: name });
    return entry;
  }

  private exclusive<T>(entry: Entry, op: () => Promise<T>): Promise<T> {
    const next = entry.tail.then(op, op);
    entry.tail = next.catch(() => undefined);
    return next;
  }

  private async run(
    entry: Entry,
    op: (plan: SourcePlan, options: RunOptions) => Promise<SyncResult>,
  ): Promise<SourceStatus> {
    const { status } = entry;
    if (!entry.plan)
      throw entry.invalid ?? new SourceError('unsupported_url', 'The source URL cannot be used.');
    const plan = entry.plan;
    const timeout = new AbortController();
    const signal = AbortSignal.any([this.stopping.signal, timeout.signal]);
    const timeoutMs = this.d.syncTimeoutMs ?? 600_000;
    this.d.clock
      .sleep(timeoutMs, timeout.signal)
      .then(() =>
        timeout.abort(
          new SourceError(
            'timeout',
            `The sync of source "${plan.name}" took longer than ${timeoutMs / 1000} s and was stopped.`,
          ),
        ),
      )
      .catch(() => undefined);
    Object.assign(status, { syncing: true, progress: null });
    this.publish(entry);
    let failure: SourceError | null = null;
    const cache = {};
    try {
      const result = await op(plan, { signal, cache, onProgress: this.progressReporter(entry) });
      this.d.log(`[source ${plan.name}] ${result.outcome}, ${result.bytesReceived} bytes received`);
      Object.assign(status, {
        lastSyncAt: this.now(),
        lastSyncOutcome: result.outcome,
        lastSyncBytes: result.bytesReceived,
        lastError: null,
        lastErrorKind: null,
        remoteSha: null,
      });
    } catch (error) {
      failure = isSourceError(error)
        ? error
        : new SourceError('other', String(error), {}, { cause: error });
      const remoteSha =
        failure.kind === 'non_fast_forward' && typeof failure.details?.remoteSha === 'string'
          ? failure.details.remoteSha
          : null;
      Object.assign(status, { lastError: failure.message, lastErrorKind: failure.kind, remoteSha });
    } finally {
      timeout.abort();
      await this.refreshCommit(entry, cache);
      Object.assign(status, { syncing: false, progress: null, lastAttemptAt: this.now() });
      this.publish(entry);
    }
    if (failure) throw failure;
    return { ...status };
  }

  private async refreshCommit(entry: Entry, cache: object = {}): Promise<void> {
    if (!entry.plan) return;
    try {
      entry.status.commit = await headCommit({ dir: entry.plan.dir, cache });
    } catch (error) {
      this.d.log(
        `[source ${entry.plan.name}] cannot read the checked-out commit: ${String(error)}`,
      );
      entry.status.commit = null;
    }
    entry.status.cloned = entry.status.commit !== null;
  }

  /** Progress events, at most one per interval (isomorphic-git reports every few objects). */
  private progressReporter(entry: Entry): (progress: GitProgressEvent) => void {
    let lastMs = 0;
    const intervalMs = this.d.progressIntervalMs ?? 250;
    return (progress) => {
      const nowMs = this.d.clock.now().getTime();
      if (nowMs - lastMs < intervalMs) return;
      lastMs = nowMs;
      entry.status.progress = {
        phase: progress.phase,
        loaded: progress.loaded,
        total: progress.total,
      };
      this.publish(entry);
    };
  }

  private publish(entry: Entry): void {
    this.d.publish({ type: 'source', status: { ...entry.status } });
  }

  private now(): string {
    return this.d.clock.now().toISOString();
  }
}
