import { afterEach, describe, expect, it } from 'vitest';
import { AccessPolicy } from '../access/access-policy';
import type { Backend, SubmitSpec } from '../backends/backend';
import type { LocalBackend } from '../backends/local';
import { jsonSource, queueTestbed, removeDir, tickUntil, type Testbed } from './testing';

const alice = { user: 'alice', admin: false };
const carol = { user: 'carol', admin: false };
const root = { user: 'root', admin: true };

let bed: Testbed;
afterEach(async () => {
  await bed.close();
  await removeDir(bed.dir);
});

/** The local backend, noting every spec submitted through alice's own login. */
function aliceLogin(local: LocalBackend, submitted: string[]): Backend {
  return Object.assign(Object.create(local) as LocalBackend, {
    submitMany: (specs: readonly SubmitSpec[]) => {
      submitted.push(...specs.map((s) => s.name));
      return local.submitMany(specs);
    },
  });
}

describe('queue owners', () => {
  it("records who ran a queue, submits through their own login, and lets only them or an admin change it", async () => {
    const submitted: string[] = [];
    bed = await queueTestbed({
      sources: [jsonSource('exp', [{ id: 'a', name: 'own task', command: 'exit 1' }])],
      access: new AccessPolicy({ local: { alice: 'alice-login' } }, { local: 'me' }),
      identity: (user, local, support) => (user === 'alice' ? { backend: aliceLogin(local, submitted), queues: support, user: 'alice-login' } : null),
    });
    await bed.service.start();
    const queue = await bed.service.run('exp', alice);
    expect(queue.owner).toBe('alice');
    await tickUntil(bed, async () => (await bed.service.getQueue(queue.id)).queue.status === 'failed');
    expect(submitted).toEqual(['own task']);
    const detail = await bed.service.getQueue(queue.id);
    expect(detail.tasks[0]?.job?.user).toBe('alice-login');

    await expect(bed.service.retryQueue(queue.id, { states: ['failed'] }, carol)).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: `carol may not retry queue ${queue.id}: it belongs to alice, and only its owner or an admin may`,
    });
    await expect(bed.service.rerunQueue(queue.id, carol)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    // An admin's retry is still alice's queue, submitted as her.
    const retry = await bed.service.retryQueue(queue.id, { states: ['failed'] }, root);
    expect(retry.owner).toBe('alice');
    await expect(bed.service.cancelQueue(retry.id, carol)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(bed.service.cancelTask(retry.id, 'a', carol)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await tickUntil(bed, async () => (await bed.service.getQueue(retry.id)).queue.status === 'failed');
    expect(submitted).toEqual(['own task', 'own task']);
  });

  it('keeps queues of the shared account on the shared login, changeable by anyone when no users are named', async () => {
    bed = await queueTestbed({ sources: [jsonSource('exp', [{ id: 'a', name: 'shared task', command: 'sleep 30' }])] });
    await bed.service.start();
    const queue = await bed.service.run('exp');
    expect(queue.owner).toBeNull();
    expect((await bed.service.cancelQueue(queue.id)).queueId).toBe(queue.id);
  });
});
