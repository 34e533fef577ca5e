import { eventStreamContract } from './event-stream.contract';

eventStreamContract('sqlite');
