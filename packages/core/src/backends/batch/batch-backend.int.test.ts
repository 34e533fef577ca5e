import type { AwsTestServer } from '@scripthut/aws-testbed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogChunk, LogSubject } from '../backend';
import type { ClusterRuntime } from '../cluster-runtime';
import { systemClock } from '../../runtime/clock';
import { batchClusterFor, spec, startBatchTestbed, submittedId, waitFinal } from './testing';

// Real SDK clients against the project's AWS test server; jobs are real local processes.
let server: AwsTestServer;
let cluster: ClusterRuntime;

beforeAll(async () => {
  // timeScale 0.02: the 60 s minimum attempt timeout lasts 1.2 s.
  server = await startBatchTestbed({ timeScale: 0.02 });
  cluster = batchClusterFor(server);
});
afterAll(async () => {
  await cluster?.close?.();
  expect(server.violations()).toEqual([]);
  await server.close();
});

const subject = (id: string, finished: () => boolean): LogSubject => ({
  schedulerJobId: id,
  name: 'logger',
  user: 'ada',
  nodes: null,
  submittedByScripthut: true,
  stdoutPath: null,
  stderrPath: null,
  finished,
});

describe('BatchBackend against the AWS test server', () => {
  it('submits 30 tasks, lists them with owner and tag, and reports each final', async () => {
    const specs = Array.from({ length: 30 }, (_, i) =>
      spec({ command: `sleep 0.5; echo task ${i}` }),
    );
    const outcomes = await cluster.backend.submitMany(specs);
    const ids = specs.map((s) => submittedId(outcomes.get(s.tag)));
    const listed = await cluster.backend.listJobs();
    const ours = listed.filter((j) => ids.includes(j.schedulerJobId));
    expect(ours.length).toBeGreaterThan(0);
    expect(ours[0]).toMatchObject({ user: 'ada', partition: 'q', memory: '256M', cpus: 1 });
    const reports = await waitFinal(cluster, ids);
    expect([...reports.values()].every((r) => r.outcome === 'COMPLETED' && r.exitCode === 0)).toBe(
      true,
    );
    expect(cluster.backend.connection?.()).toEqual({ state: 'connected', lastError: null });
  });

  it('reports an exit code, a real OOM, a timeout, and runs in the working directory', async () => {
    const fail = spec({ command: 'exit 3' });
    const oom = spec({
      command: "python3 -c 'b=bytearray(300*1024*1024); import time; time.sleep(5)'",
      memory: '64M',
    });
    const slow = spec({ command: 'sleep 30', timeLimit: '1:00' });
    const cd = spec({ command: 'pwd; [ "$(pwd)" = /tmp ]', workingDir: '/tmp' });
    const outcomes = await cluster.backend.submitMany([fail, oom, slow, cd]);
    const ids = [fail, oom, slow, cd].map((s) => submittedId(outcomes.get(s.tag)));
    const reports = await waitFinal(cluster, ids);
    expect(reports.get(ids[0]!)).toMatchObject({
      outcome: 'FAILED',
      exitCode: 3,
      reason: 'Essential container in task exited',
    });
    expect(reports.get(ids[1]!)).toMatchObject({ outcome: 'OUT_OF_MEMORY', exitCode: 137 });
    expect(reports.get(ids[1]!)?.reason).toContain(
      'OutOfMemoryError: Container killed due to memory usage',
    );
    expect(reports.get(ids[2]!)).toMatchObject({ outcome: 'TIMEOUT' });
    expect(reports.get(ids[2]!)?.reason).toContain('Job attempt duration exceeded timeout');
    expect(reports.get(ids[3]!)).toMatchObject({ outcome: 'COMPLETED', exitCode: 0 });
  });

  it('cancels a running and a queued job, each with its outcome', async () => {
    const running = spec({ command: 'sleep 30' });
    const outcomes = await cluster.backend.submitMany([running]);
    const id = submittedId(outcomes.get(running.tag));
    const result = await cluster.backend.cancel([id, 'no-such-job']);
    expect(result[0]).toEqual({ schedulerJobId: id, ok: true, message: null });
    expect(result[1]?.ok).toBe(false);
    const reports = await waitFinal(cluster, [id]);
    expect(reports.get(id)).toMatchObject({ outcome: 'CANCELLED', cancelledBy: 'ada' });
  });

  it('tails, follows and resumes a log from its cursor', async () => {
    const s = spec({ command: 'for i in 1 2 3 4 5; do echo line $i; sleep 0.2; done' });
    const id = submittedId((await cluster.backend.submitMany([s])).get(s.tag));
    const logs = cluster.backend.logs!;
    let finished = false;
    const chunks: LogChunk[] = [];
    for await (const c of logs.follow(
      subject(id, () => finished),
      'output',
      { clock: systemClock, from: null },
    )) {
      chunks.push(c);
      if (c.kind === 'data' && c.text.includes('line 5'))
        finished = (await waitFinal(cluster, [id])).size === 1;
    }
    const text = chunks.flatMap((c) => (c.kind === 'data' ? [c.text] : [])).join('');
    expect(text).toBe('line 1\nline 2\nline 3\nline 4\nline 5\n');
    expect(chunks.at(-1)?.kind).toBe('end');
    // Resume after the first chunk: exactly the rest, no line twice.
    const first = chunks.find((c) => c.kind === 'data');
    const rest: string[] = [];
    for await (const c of logs.follow(
      subject(id, () => true),
      'output',
      { clock: systemClock, from: first!.kind === 'data' ? first!.cursor : null },
    )) {
      if (c.kind === 'data') rest.push(c.text);
    }
    expect(first!.kind === 'data' && first!.text + rest.join('')).toBe(text);
    const tail = await logs.tail(
      subject(id, () => true),
      'output',
      2,
    );
    expect(tail).toMatchObject({ available: true, exists: true, content: 'line 4\nline 5\n' });
    expect(
      await logs.tail(
        subject(id, () => true),
        'error',
        2,
      ),
    ).toMatchObject({ available: false });
  });

  it('says a stream does not exist yet while the job waits for capacity', async () => {
    server.setCapacityWait({
      enabled: true,
      reason:
        'CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY - Service cannot fulfill the capacity requested',
    });
    try {
      const s = spec();
      const id = submittedId((await cluster.backend.submitMany([s])).get(s.tag));
      const abort = new AbortController();
      const gen = cluster.backend.logs!.follow(
        subject(id, () => false),
        'output',
        { clock: systemClock, from: null, signal: abort.signal },
      );
      const first = await gen.next();
      abort.abort();
      expect(first.value).toEqual({
        kind: 'waiting',
        reason: 'the log stream of logger does not exist yet (the job has not started)',
      });
      await new Promise((r) => setTimeout(r, 300));
      const job = (await cluster.backend.listJobs()).find((j) => j.schedulerJobId === id);
      expect(job).toMatchObject({ rawState: 'RUNNABLE', state: 'submitted' });
      expect(job?.reason).toMatch(/^waiting for capacity: CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY/);
      await cluster.backend.cancel([id]);
    } finally {
      server.setCapacityWait({ enabled: false });
    }
  });

  it('finds jobs by tag from a fresh backend, as after a crash', async () => {
    const specs = [spec(), spec()];
    const outcomes = await cluster.backend.submitMany(specs);
    const fresh = batchClusterFor(server);
    try {
      const found = await fresh.backend.findByTags([
        ...specs.map((s) => s.tag),
        'sh-never-1-00000000',
      ]);
      expect(found).toEqual(new Map(specs.map((s) => [s.tag, submittedId(outcomes.get(s.tag))])));
    } finally {
      await fresh.close?.();
    }
  });
});
