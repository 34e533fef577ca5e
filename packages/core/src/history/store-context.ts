import type { Kysely } from 'kysely';
import type { Clock } from '../runtime/clock';
import type { HistoryDatabase } from './schema';
import type { HookSlot } from './store-hooks';
import type { StoreExecutor } from './store-executor';

/** What the query modules share: Kysely builds and compiles, the executor runs. */
export interface StoreContext {
  db: Kysely<HistoryDatabase>;
  exec: StoreExecutor;
  clock: Clock;
  /** Write observers (see StoreWriteHooks); absent in contexts that never run them. */
  hooks?: HookSlot;
}
