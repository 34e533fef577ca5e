import { queueStoreContract } from './queue-store.contract';

queueStoreContract('sqlite');
