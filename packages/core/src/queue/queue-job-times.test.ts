import { afterEach, describe, expect, it } from 'vitest';
import { jsonSource, queueTestbed, removeDir, tickUntil, type Testbed } from './testing';

let bed: Testbed | undefined;
afterEach(async () => {
  if (!bed) return;
  await bed.close();
  await removeDir(bed.dir);
  bed = undefined;
});

describe('times of local queue jobs', () => {
  it('never start before they were submitted, and show the time they used', async () => {
    bed = await queueTestbed({
      sources: [
        jsonSource('times', [
          // Ends before the first poll sees it: only the final report tells its times.
          { id: 'quick', name: 'Quick', command: 'true' },
          { id: 'slow', name: 'Slow', command: 'sleep 1.2' },
        ]),
      ],
    });
    await bed.service.start();
    const b = bed;
    const queue = await b.service.run('times');
    await tickUntil(b, async () => (await b.service.getQueue(queue.id)).queue.status === 'completed');
    const jobs = Object.fromEntries((await b.service.getQueue(queue.id)).tasks.map((t) => [t.taskId, t.job!]));
    for (const job of Object.values(jobs)) {
      const [submit, start, finish] = [job.submitTime, job.startTime, job.finishTime].map((t) => Date.parse(t!));
      expect(start, `${job.name}: start ${job.startTime} before submit ${job.submitTime}`).toBeGreaterThanOrEqual(submit!);
      expect(finish).toBeGreaterThanOrEqual(start!);
    }
    expect(jobs.quick!.timeUsed).toBe('0:00');
    expect(jobs.slow!.timeUsed).toBe('0:01');
  });
});
