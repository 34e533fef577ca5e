import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { renderLocalScript } from '../backends/local';
import type { LogChunk } from './queue-types';
import { utf8Boundary } from '../backends/file-logs/file-log-reads';
import { jsonSource, localJobSpecs, queueTestbed, removeDir, tickUntil, type Testbed } from './testing';

const beds: Testbed[] = [];
afterEach(async () => {
  for (const b of beds.splice(0)) {
    await b.close();
    await removeDir(b.dir);
  }
});
async function bed(tasks: { id: string; name: string; command: string; working_dir?: string }[], max = 5): Promise<Testbed> {
  const b = await queueTestbed({ sources: [jsonSource('exp', tasks, { max_concurrent: max })] });
  beds.push(b);
  await b.service.start();
  return b;
}

describe('dry run', () => {
  it('renders the exact scripts with ~ resolved on the cluster, and creates nothing', async () => {
    const b = await bed([
      { id: 'a', name: 'A', command: 'echo a' },
      { id: 'b', name: 'B', command: 'echo b', working_dir: '~/work' },
    ]);
    const dry = await b.service.dryRun('exp');
    expect(dry).toMatchObject({ source: 'exp', cluster: 'local', home: b.dir, taskCount: 2 });
    expect(dry.tasks[1]!.submit).toMatchObject({
      tag: 'preview',
      workingDir: `${b.dir}/work`,
      partition: null,
      stdoutPath: `${b.dir}/logs/preview/b.out`,
      stderrPath: `${b.dir}/logs/preview/b.err`,
    });
    expect(dry.tasks[1]!.script).toBe(renderLocalScript(dry.tasks[1]!.submit));
    expect(await b.service.listQueues()).toEqual([]);
    expect(localJobSpecs(b.dir)).toEqual([]);
    expect(existsSync(join(b.dir, 'logs'))).toBe(false);
  });

  it('reports an invalid source the same way run does', async () => {
    const b = await bed([]);
    await expect(b.service.dryRun('exp')).rejects.toMatchObject({ code: 'TASK_SOURCE_INVALID', details: { problem: 'empty' } });
  });
});

describe('scripts and logs', () => {
  it('serves the stored script, the last lines, the whole file, and says when a file is missing', async () => {
    const b = await bed(
      [
        { id: 'a', name: 'A', command: 'seq 1 500' },
        { id: 'b', name: 'B', command: 'sleep 30' },
      ],
      1,
    );
    const queue = await b.service.run('exp');
    expect(await b.service.taskScript(queue.id, 'b')).toBe(`set -o pipefail\ncd ${b.dir} || exit 1\nsleep 30\n`);
    const missing = await b.service.taskLog(queue.id, 'b', 'output');
    expect(missing).toMatchObject({ exists: false, content: '', path: null, unavailable: 'the task is pending and has not been submitted yet' });

    await tickUntil(b, async () => (await b.service.getQueue(queue.id)).tasks[0]!.state === 'completed');
    expect(await b.service.taskLog(queue.id, 'a', 'output', { tail: 3 })).toMatchObject({ exists: true, content: '498\n499\n500\n', partial: true });
    const whole = await b.service.downloadTaskLog(queue.id, 'a', 'output');
    expect(whole.content.split('\n')).toHaveLength(501);
    expect(await b.service.taskLog(queue.id, 'a', 'error')).toMatchObject({ exists: true, content: '' });
    await expect(b.service.taskLog(queue.id, 'zz', 'output')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await b.service.cancelQueue(queue.id);
  });

  it('follows a log while the job runs and ends when the job has ended', async () => {
    const b = await bed([{ id: 'a', name: 'A', command: 'for i in 1 2 3 4; do echo "line $i é"; sleep 0.4; done' }]);
    const queue = await b.service.run('exp');
    const controller = new AbortController();
    const ticking = (async () => {
      while (!controller.signal.aborted) {
        await b.monitor.tick();
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const chunks: LogChunk[] = [];
    for await (const chunk of b.service.followTaskLog(queue.id, 'a', 'output')) chunks.push(chunk);
    controller.abort();
    await ticking;
    const data = chunks.filter((c) => c.kind === 'data');
    expect(data.length).toBeGreaterThan(1);
    expect(data.map((c) => c.text).join('')).toBe('line 1 é\nline 2 é\nline 3 é\nline 4 é\n');
    expect(chunks.at(-1)).toEqual({ kind: 'end', reason: 'the job is completed' });
  }, 20_000);

  it('stops following when aborted', async () => {
    const b = await bed([{ id: 'a', name: 'A', command: 'sleep 30' }]);
    const queue = await b.service.run('exp');
    const controller = new AbortController();
    const chunks: LogChunk[] = [];
    setTimeout(() => controller.abort(), 300);
    const started = Date.now();
    for await (const chunk of b.service.followTaskLog(queue.id, 'a', 'output', { signal: controller.signal })) chunks.push(chunk);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(chunks.every((c) => c.kind !== 'end')).toBe(true);
    await b.service.cancelQueue(queue.id);
    expect(readdirSync(join(b.dir, 'local', 'jobs'))).toHaveLength(1);
  });
});

describe('utf8Boundary', () => {
  it.each([
    ['ascii', [0x61, 0x62], 2],
    ['complete 2-byte', [0x61, 0xc3, 0xa9], 3],
    ['cut 2-byte', [0x61, 0xc3], 1],
    ['cut 3-byte', [0x61, 0xe2, 0x9c], 1],
    ['complete 4-byte', [0xf0, 0x9f, 0x9a, 0x80], 4],
    ['cut 4-byte', [0x61, 0xf0, 0x9f, 0x9a], 1],
    ['empty', [], 0],
  ])('%s', (_name, bytes, expected) => {
    expect(utf8Boundary(Uint8Array.from(bytes))).toBe(expected);
  });
});
