import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Backend } from '../backends/backend';
import type { LocalBackend } from '../backends/local';
import {
  jsonSource,
  localJobSpecs,
  queueTestbed,
  removeDir,
  tickUntil,
  type Testbed,
} from './testing';

const dirs: string[] = [];
const live: Testbed[] = [];
afterEach(async () => {
  for (const b of live.splice(0)) await b.close();
  for (const d of dirs.splice(0)) await removeDir(d);
});

const source = jsonSource(
  'exp',
  Array.from({ length: 6 }, (_, i) => ({
    id: `t${i}`,
    name: `Task ${i}`,
    command: `echo done-${i}`,
  })),
  { max_concurrent: 3 },
);

/** The local backend, counting what this instance asks of it. */
function counting(local: LocalBackend, calls: string[]): Backend {
  return Object.assign(Object.create(local) as LocalBackend, {
    submitMany: (...args: Parameters<LocalBackend['submitMany']>) => {
      calls.push('submit');
      return local.submitMany(...args);
    },
    listJobs: (...args: Parameters<LocalBackend['listJobs']>) => {
      calls.push('list');
      return local.listJobs(...args);
    },
    findByTags: (...args: Parameters<LocalBackend['findByTags']>) => {
      calls.push('findByTags');
      return local.findByTags(...args);
    },
  });
}

describe('queues with two instances on one store', () => {
  it('lets only the leader submit: a queue started through the follower runs on the leader, each task once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scripthut-leaders-'));
    dirs.push(dir);
    const leaderCalls: string[] = [];
    const followerCalls: string[] = [];
    const leader = await queueTestbed({
      dir,
      sources: [source],
      leads: () => true,
      wrap: (l) => counting(l, leaderCalls),
    });
    const follower = await queueTestbed({
      dir,
      sources: [source],
      leads: () => false,
      wrap: (l) => counting(l, followerCalls),
    });
    live.push(follower, leader);
    await leader.service.start();
    await follower.service.start();

    const queue = await follower.service.run('exp');
    await follower.monitor.tick();
    await follower.service.idle();
    expect(localJobSpecs(dir)).toEqual([]);

    await tickUntil(
      leader,
      async () => (await leader.service.getQueue(queue.id)).queue.status === 'completed',
    );
    await follower.monitor.tick();
    await follower.service.idle();

    const positions = localJobSpecs(dir).map((spec) =>
      Number(/^sh-[0-9a-f]+-(\d+)-/.exec(spec.tag)?.[1]),
    );
    expect(positions.sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(followerCalls).toEqual([]);
    expect(leaderCalls).toContain('submit');
    expect((await follower.service.getQueue(queue.id)).queue.status).toBe('completed');
    expect(follower.monitor.status().jobCount).toBe(0);
  });
});
