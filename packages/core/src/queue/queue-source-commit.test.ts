import { afterEach, describe, expect, it } from 'vitest';
import { jsonSource, queueTestbed, removeDir, type Testbed } from './testing';

const beds: Testbed[] = [];
afterEach(async () => {
  for (const b of beds.splice(0)) {
    await b.close();
    await removeDir(b.dir);
  }
});

describe('queues from a task source that names a git source', () => {
  it('records the commit the queue was created from', async () => {
    const asked: string[] = [];
    const b = await queueTestbed({
      sources: [{ ...jsonSource('gen', [{ id: 'a', name: 'A', command: 'true' }]), source: 'jobs-repo' }],
      sourceCommit: (name) => {
        asked.push(name);
        return Promise.resolve('0123456789abcdef0123456789abcdef01234567');
      },
    });
    beds.push(b);
    await b.service.start();
    const queue = await b.service.run('gen');
    expect(asked).toEqual(['jobs-repo']);
    expect((await b.store.getQueue(queue.id))?.queue.sourceCommit).toBe('0123456789abcdef0123456789abcdef01234567');
    expect(queue.sourceCommit).toBe('0123456789abcdef0123456789abcdef01234567');
  });

  it('records no commit for a plain task source', async () => {
    const b = await queueTestbed({ sources: [jsonSource('plain', [{ id: 'a', name: 'A', command: 'true' }])] });
    beds.push(b);
    await b.service.start();
    const queue = await b.service.run('plain');
    expect((await b.store.getQueue(queue.id))?.queue.sourceCommit).toBeNull();
  });
});
