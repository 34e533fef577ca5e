import { afterEach, describe, expect, it } from 'vitest';
import type { Backend, SubmitOutcome, SubmitSpec } from '../backends/backend';
import type { LocalBackend } from '../backends/local';
import {
  jsonSource,
  localJobSpecs,
  queueTestbed,
  removeDir,
  tickUntil,
  type Testbed,
} from './testing';

const beds: Testbed[] = [];
afterEach(async () => {
  for (const bed of beds.splice(0)) {
    await bed.close();
    await removeDir(bed.dir);
  }
});
const tasks = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ id: `t${i}`, name: `Task ${i}`, command: `echo ${i}` }));

interface BatchLog {
  calls: number[];
  /** Task states seen at the start of each submitMany call. */
  statesAtCall: string[][];
}

/** The local backend with a submitMany that submits through it, except tasks it is told to reject or lose the answer of. */
function batchingBackend(
  local: LocalBackend,
  log: BatchLog,
  peek: () => Promise<string[]>,
  answer: (spec: SubmitSpec) => SubmitOutcome | null,
): Backend {
  return Object.assign(Object.create(local) as LocalBackend, {
    submitMany: async (specs: readonly SubmitSpec[]) => {
      log.calls.push(specs.length);
      log.statesAtCall.push(await peek());
      const out = new Map<string, SubmitOutcome>();
      for (const spec of specs) {
        const forced = answer(spec);
        if (forced?.kind === 'uncertain') continue;
        if (forced) {
          out.set(spec.tag, forced);
          continue;
        }
        out.set(spec.tag, await local.submit(spec));
      }
      return out;
    },
  });
}

describe('QueueService with Backend.submitMany', () => {
  it('records every intent before one batch call, rejects and loses only the tasks concerned', async () => {
    const log: BatchLog = { calls: [], statesAtCall: [] };
    let bed: Testbed | null = null;
    // The only queue of the store: the first batch may be sent before run() has returned its id.
    const peek = async (): Promise<string[]> => {
      const only = (await bed?.store.listQueues())?.[0];
      return only ? ((await bed?.store.getQueue(only.id))?.tasks.map((t) => t.state) ?? []) : [];
    };
    bed = await queueTestbed({
      sources: [jsonSource('exp', tasks(12), { max_concurrent: 20 })],
      clusterMax: null,
      wrap: (local) =>
        batchingBackend(local, log, peek, (spec) =>
          spec.name === 'Task 3'
            ? { kind: 'rejected', error: 'invalid partition specified: nope' }
            : spec.name === 'Task 7'
              ? { kind: 'uncertain', message: 'lost' }
              : null,
        ),
    });
    beds.push(bed);
    await bed.service.start();
    const queue = await bed.service.run('exp');
    const b = bed;
    await tickUntil(b, async () =>
      (await b.service.getQueue(queue.id))
        .tasks.every((t) => ['completed', 'failed', 'submitting'].includes(t.state)),
    );

    expect(log.calls).toEqual([12]);
    expect(log.statesAtCall[0]).toEqual(Array.from({ length: 12 }, () => 'submitting'));
    const states = Object.fromEntries(
      (await b.service.getQueue(queue.id)).tasks.map((t) => [t.taskId, t.state]),
    );
    expect(states).toMatchObject({
      t3: 'failed',
      t7: 'submitting',
      t0: 'completed',
      t11: 'completed',
    });
    expect((await b.service.getQueue(queue.id)).tasks.find((t) => t.taskId === 't3')?.job).toMatchObject({
      reason: 'invalid partition specified: nope',
    });
    expect((await b.store.pendingIntents('local')).map((s) => [s.state, s.message])).toEqual([
      ['unknown', 'the backend gave no answer for this task'],
    ]);
    expect(localJobSpecs(b.dir)).toHaveLength(10);
  });
});
