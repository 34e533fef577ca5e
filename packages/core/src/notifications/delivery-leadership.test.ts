import { describe } from 'vitest';
import { deliveryLeadershipContract } from './delivery-leadership.contract';

describe('on SQLite', () => deliveryLeadershipContract('sqlite'));
