import type { SourceStatus } from '../domain/source';

export interface SourceEvent {
  type: 'source';
  status: SourceStatus;
}

/** What the API may ask of the git sources. */
export interface SourcesApi {
  /** In configuration order. */
  list(): SourceStatus[];
  /** Fetch and fast-forward (or clone). A sync requested while one runs joins it. Rejects with a SourceError. */
  sync(name: string): Promise<SourceStatus>;
  /** Fetch and move the checkout to the remote commit even when upstream was rewritten. */
  reset(name: string): Promise<SourceStatus>;
  /** The checked-out commit id, read from disk; null when not cloned. */
  currentCommit(name: string): Promise<string | null>;
  /** Directory of the checkout (it may not exist yet). */
  checkoutDir(name: string): string;
  /**
   * Run `fn` on the checkout while no sync or reset of that source runs, so
   * its files and commit stay as `fn` saw them (commit null: not cloned).
   */
  withCheckout<T>(
    name: string,
    fn: (checkout: { dir: string; commit: string | null }) => Promise<T>,
  ): Promise<T>;
}
