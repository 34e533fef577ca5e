import { join } from 'node:path';
import type { GitSourceConfig } from '../config/schema';
import type { SourceStatus } from '../domain/source';
import { sessionOpener, type SessionDeps } from './open-session';
import { isSourceError, SourceError } from './source-error';
import { parseSourceUrl, transportUrl } from './source-url';
import type { SourcePlan } from './sync-source';

export interface EntryDeps extends SessionDeps {
  /** settings.sources_cache_dir, expanded. */
  cacheDir: string;
  /** Stands in for a missing user in SSH URLs, as with OpenSSH. */
  localUser: string;
}

export interface Entry {
  status: SourceStatus;
  plan: SourcePlan | null;
  /** Why the source cannot be used at all (bad URL); reported by every sync. */
  invalid: SourceError | null;
  /** The tail of this source's operations: each one starts after the previous settles. */
  tail: Promise<unknown>;
  pendingSync: Promise<SourceStatus> | null;
}

/** A source's initial state: not cloned; an unusable URL is its error from the start. */
export function createEntry(config: GitSourceConfig, deps: EntryDeps): Entry {
  const status: SourceStatus = {
    name: config.name,
    url: config.url,
    branch: config.branch,
    transport: null,
    cloned: false,
    commit: null,
    lastSyncAt: null,
    lastAttemptAt: null,
    lastError: null,
    lastErrorKind: null,
    remoteSha: null,
    lastSyncOutcome: null,
    lastSyncBytes: null,
    syncing: false,
    progress: null,
  };
  const entry: Entry = {
    status,
    plan: null,
    invalid: null,
    tail: Promise.resolve(),
    pendingSync: null,
  };
  try {
    const remote = parseSourceUrl(config.url, deps.localUser);
    status.transport = remote.kind;
    entry.plan = {
      name: config.name,
      url: config.url,
      branch: config.branch,
      cacheDir: deps.cacheDir,
      dir: join(deps.cacheDir, config.name),
      remoteUrl: transportUrl(remote),
      openSession: sessionOpener(config, remote, deps),
    };
  } catch (error) {
    entry.invalid = isSourceError(error)
      ? error
      : new SourceError('unsupported_url', String(error));
    status.lastError = entry.invalid.message;
    status.lastErrorKind = entry.invalid.kind;
  }
  return entry;
}
