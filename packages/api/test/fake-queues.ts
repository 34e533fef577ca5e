import { CoreError, type LogChunk, type QueueApi } from '@scripthut/core';

const missing = (what: string): never => {
  throw new CoreError('NOT_FOUND', `No ${what}`);
};

/** No task sources, no queues: the queue half of FakeCore unless a test gives a real one. */
export class EmptyQueues implements QueueApi {
  listTaskSources() {
    return [];
  }
  dryRun(name: string): never {
    return missing(`task source named ${name}`);
  }
  run(name: string): never {
    return missing(`task source named ${name}`);
  }
  listQueues() {
    return Promise.resolve([]);
  }
  getQueue(id: string): Promise<never> {
    return Promise.resolve().then(() => missing(`queue ${id}`));
  }
  cancelQueue(id: string): never {
    return missing(`queue ${id}`);
  }
  cancelTask(id: string): never {
    return missing(`queue ${id}`);
  }
  retryQueue(id: string): never {
    return missing(`queue ${id}`);
  }
  rerunQueue(id: string): never {
    return missing(`queue ${id}`);
  }
  taskScript(id: string): Promise<never> {
    return Promise.resolve().then(() => missing(`queue ${id}`));
  }
  taskLog(id: string): never {
    return missing(`queue ${id}`);
  }
  downloadTaskLog(id: string): never {
    return missing(`queue ${id}`);
  }
  followTaskLog(id: string): AsyncIterable<LogChunk> {
    return missing(`queue ${id}`);
  }
}
