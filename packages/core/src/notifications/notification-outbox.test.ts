import { describe } from 'vitest';
import { notificationOutboxContract } from './notification-outbox.contract';

// The same tests run on PostgreSQL in history/store-contract.int.test.ts.
describe('on SQLite', () => notificationOutboxContract('sqlite'));
