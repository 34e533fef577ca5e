import { CoreError, type CoreEvent, type SourceStatus, type SourcesApi } from '@scripthut/core';

export function fakeSource(name: string, overrides: Partial<SourceStatus> = {}): SourceStatus {
  return {
    name,
    url: `git@example.test:org/${name}.git`,
    branch: 'main',
    transport: 'ssh',
    cloned: true,
    commit: {
      sha: 'a'.repeat(40),
      subject: 'Add jobs',
      author: 'Alice <alice@example.test>',
      date: '2026-01-01T00:00:00.000Z',
    },
    lastSyncAt: '2026-01-01T00:00:05.000Z',
    lastAttemptAt: '2026-01-01T00:00:05.000Z',
    lastError: null,
    lastErrorKind: null,
    remoteSha: null,
    lastSyncOutcome: null,
    lastSyncBytes: null,
    syncing: false,
    progress: null,
    ...overrides,
  };
}

/** Git sources held in memory: a sync moves to `nextSha` or throws the error set for the source. */
export class FakeSources implements SourcesApi {
  statuses: SourceStatus[] = [fakeSource('jobs')];
  readonly calls: { op: 'sync' | 'reset'; name: string }[] = [];
  /** Error the next sync or reset of a source throws (and records as its last error). */
  readonly failures = new Map<string, CoreError>();

  constructor(private readonly publish: (event: CoreEvent) => void = () => undefined) {}

  list(): SourceStatus[] {
    return this.statuses.map((s) => ({ ...s }));
  }
  sync(name: string): Promise<SourceStatus> {
    return this.run('sync', name);
  }
  reset(name: string): Promise<SourceStatus> {
    return this.run('reset', name);
  }
  currentCommit(name: string): Promise<string | null> {
    return Promise.resolve(this.find(name).commit?.sha ?? null);
  }
  checkoutDir(name: string): string {
    return `/cache/${this.find(name).name}`;
  }

  async withCheckout<T>(
    name: string,
    fn: (checkout: { dir: string; commit: string | null }) => Promise<T>,
  ): Promise<T> {
    return fn({ dir: this.checkoutDir(name), commit: await this.currentCommit(name) });
  }

  private run(op: 'sync' | 'reset', name: string): Promise<SourceStatus> {
    const status = this.find(name);
    this.calls.push({ op, name });
    const failure = this.failures.get(name);
    this.failures.delete(name);
    const kind = (failure?.details?.kind as SourceStatus['lastErrorKind'] | undefined) ?? 'other';
    Object.assign(
      status,
      failure
        ? { lastError: failure.message, lastErrorKind: kind }
        : { lastError: null, lastErrorKind: null },
    );
    this.publish({ type: 'source', status: { ...status } });
    return failure ? Promise.reject(failure) : Promise.resolve({ ...status });
  }

  private find(name: string): SourceStatus {
    const status = this.statuses.find((s) => s.name === name);
    if (!status) throw new CoreError('NOT_FOUND', `No git source named ${name}`);
    return status;
  }
}
