import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../runtime/clock';
import type {
  Backend,
  FinalReport,
  LogChunk,
  LogSubject,
  SubmitOutcome,
  SubmitSpec,
} from '../backend';

/**
 * One contract every backend passes (local, Slurm, Batch, ECS), against the
 * real thing where one runs here: submit, list, final states, exactly-once
 * lookup by tag from a fresh instance, cancel, logs. Each backend's test
 * file calls `backendContract` with a harness; nothing here knows a kind.
 */
export interface ContractHarness {
  backend: Backend;
  /** A second instance on the same scheduler, as a restarted server would build it. */
  reopen(): Backend | Promise<Backend>;
  /** A spec running the shell command `command`, with this backend's log locations. */
  spec(o: {
    tag: string;
    name: string;
    command: string;
    memory?: string;
    timeLimit?: string;
  }): SubmitSpec;
  /** Owner recorded on the jobs it submits. */
  user: string;
  /** How long a job that prints and exits takes to be reported final here. */
  settleTimeoutMs: number;
  close(): Promise<void>;
}

/** What a backend can show beyond the common contract, known when the suite is defined. */
export interface ContractCapabilities {
  /** A memory limit it enforces: a task asking `memory` and running `command` is killed for it. */
  outOfMemory?: { memory: string; command: string };
  /**
   * Arrays a user submits outside ScriptHut (Slurm `sbatch --array`, Batch
   * `arrayProperties`): `submit` starts one of `size` tasks, each running
   * `command`, and returns the array's own id.
   */
  arrays?: { submit(o: { name: string; size: number; command: string }): Promise<string> };
}

const newTag = (): string =>
  `sh-ct${randomBytes(3).toString('hex')}-0-${randomBytes(4).toString('hex')}`;

async function until<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export function backendContract(
  name: string,
  make: () => Promise<ContractHarness>,
  can: ContractCapabilities = {},
): void {
  describe(`${name} backend contract`, () => {
    let h: ContractHarness;
    beforeAll(async () => {
      h = await make();
    }, 120_000);
    afterAll(async () => h?.close(), 60_000);

    const submitOne = async (o: Parameters<ContractHarness['spec']>[0]) => {
      const spec = h.spec(o);
      const outcomes = await h.backend.submitMany([spec]);
      const outcome = outcomes.get(spec.tag);
      if (outcome?.kind !== 'submitted')
        throw new Error(`not submitted: ${JSON.stringify(outcome)}`);
      return { spec, id: outcome.schedulerJobId };
    };
    const final = (id: string): Promise<FinalReport> =>
      until(`final state of ${id}`, h.settleTimeoutMs, async () =>
        (await h.backend.finalReports([id])).get(id),
      );

    it('answers submitMany with one outcome per tag, in order, and lists or reports every job', async () => {
      const specs = [0, 1, 2].map((i) =>
        h.spec({ tag: newTag(), name: `contract-many-${i}`, command: `echo many-${i}` }),
      );
      const outcomes: Map<string, SubmitOutcome> = await h.backend.submitMany(specs);
      expect([...outcomes.keys()]).toEqual(specs.map((s) => s.tag));
      const ids = specs.map((s) => {
        const o = outcomes.get(s.tag);
        expect(o?.kind).toBe('submitted');
        return o?.kind === 'submitted' ? o.schedulerJobId : '';
      });
      expect(new Set(ids).size).toBe(3);
      const listed = new Set((await h.backend.listJobs()).map((j) => j.schedulerJobId));
      for (const id of ids) {
        if (!listed.has(id))
          expect((await h.backend.finalReports([id])).has(id) || listed.has(id)).toBe(true);
      }
      for (const id of ids)
        expect(await final(id)).toMatchObject({ outcome: 'COMPLETED', exitCode: 0 });
    });

    it('reports a non-zero exit as FAILED with its exit code, and a clean exit as COMPLETED', async () => {
      const ok = await submitOne({ tag: newTag(), name: 'contract-ok', command: 'echo fine' });
      const bad = await submitOne({
        tag: newTag(),
        name: 'contract-exit3',
        command: 'echo oops >&2; exit 3',
      });
      expect(await final(ok.id)).toMatchObject({
        schedulerJobId: ok.id,
        outcome: 'COMPLETED',
        exitCode: 0,
      });
      expect(await final(bad.id)).toMatchObject({
        schedulerJobId: bad.id,
        outcome: 'FAILED',
        exitCode: 3,
      });
    });

    it('leaves ids it does not know out of finalReports instead of failing the call', async () => {
      const ok = await submitOne({ tag: newTag(), name: 'contract-known', command: 'true' });
      await final(ok.id);
      const reports = await h.backend.finalReports([ok.id, 'no-such-job-0', '999999999']);
      expect([...reports.keys()]).toEqual([ok.id]);
    });

    it('finds a submission by its tag from a fresh instance, and nothing for a tag never used', async () => {
      const tag = newTag();
      const { id } = await submitOne({ tag, name: 'contract-tag', command: 'sleep 1' });
      const fresh = await h.reopen();
      const unused = newTag();
      expect(await fresh.findByTags([tag, unused])).toEqual(new Map([[tag, id]]));
      await final(id);
      expect(await fresh.findByTags([tag])).toEqual(new Map([[tag, id]]));
    });

    it('cancels a running job, says so per job, and reports it CANCELLED', async () => {
      const { id } = await submitOne({
        tag: newTag(),
        name: 'contract-cancel',
        command: 'sleep 300',
      });
      const outcomes = await h.backend.cancel([id]);
      expect(outcomes).toEqual([expect.objectContaining({ schedulerJobId: id, ok: true })]);
      expect(await final(id)).toMatchObject({ outcome: 'CANCELLED' });
    });

    it('tails and follows the output log; a follow from the tail cursor repeats nothing', async () => {
      const logs = h.backend.logs;
      expect(logs).toBeDefined();
      const { spec, id } = await submitOne({
        tag: newTag(),
        name: 'contract-logs',
        command: 'for i in 1 2 3; do echo "line $i"; done; sleep 2; echo "last é"',
      });
      const observed = await until('log location', h.settleTimeoutMs, async () => {
        const live = (await h.backend.listJobs()).find((j) => j.schedulerJobId === id);
        if (live?.stdoutPath) return live.stdoutPath;
        const report = (await h.backend.finalReports([id])).get(id);
        return (
          report?.stdoutPath ?? (spec.stdoutPath !== null && report ? spec.stdoutPath : undefined)
        );
      });
      const subject: LogSubject = {
        schedulerJobId: id,
        name: spec.name,
        user: h.user,
        nodes: null,
        submittedByScripthut: true,
        stdoutPath: observed,
        stderrPath: spec.stderrPath,
        finished: async () => (await h.backend.finalReports([id])).has(id),
      };
      const tail = await until('first lines', h.settleTimeoutMs, async () => {
        const read = await logs!.tail(subject, 'output', 2);
        return read.available && read.exists && read.content.includes('line 3') ? read : undefined;
      });
      expect(tail.available && tail.content).toBe('line 2\nline 3\n');
      await final(id);
      const after: LogChunk[] = [];
      for await (const c of logs!.follow(subject, 'output', {
        clock: systemClock,
        from: tail.available ? tail.cursor : null,
      }))
        after.push(c);
      const text = after.flatMap((c) => (c.kind === 'data' ? [c.text] : [])).join('');
      expect(text).toBe('last é\n');
      expect(after.at(-1)?.kind).toBe('end');
      const whole: LogChunk[] = [];
      for await (const c of logs!.follow(subject, 'output', { clock: systemClock, from: null }))
        whole.push(c);
      expect(whole.flatMap((c) => (c.kind === 'data' ? [c.text] : [])).join('')).toBe(
        'line 1\nline 2\nline 3\nlast é\n',
      );
    });

    const arrays = can.arrays;
    if (arrays) {
      it('lists an array as its tasks, each naming the array, and a cancel of the array ends them all', async () => {
        const arrayId = await arrays.submit({
          name: 'contract-array',
          size: 3,
          command: 'sleep 300',
        });
        const members = async () =>
          (await h.backend.listJobs()).filter((j) => j.arrayJobId === arrayId);
        // A pending range stands for its size; at least one task must have started.
        const seen = await until(
          'the array listed as 3 tasks, one running',
          h.settleTimeoutMs,
          async () => {
            const m = await members();
            const total = m.reduce((n, j) => n + (j.arrayTasks ?? 0), 0);
            return total === 3 && m.some((j) => j.state === 'running' && j.arrayTasks === 1)
              ? m
              : undefined;
          },
        );
        expect(seen.map((j) => j.schedulerJobId)).not.toContain(arrayId);
        const running = seen.filter((j) => j.state === 'running').map((j) => j.schedulerJobId);

        expect(await h.backend.cancel([arrayId])).toEqual([
          expect.objectContaining({ schedulerJobId: arrayId, ok: true }),
        ]);
        for (const id of running) expect(await final(id)).toMatchObject({ outcome: 'CANCELLED' });
        await until('no task of the array queued or running', h.settleTimeoutMs, async () =>
          (await members()).every(
            (j) => j.state !== 'running' && j.state !== 'submitted' && j.state !== 'pending',
          )
            ? true
            : undefined,
        );
      });
    }

    const oom = can.outOfMemory;
    if (oom) {
      it('reports a job killed by its memory limit as OUT_OF_MEMORY', async () => {
        const { id } = await submitOne({
          tag: newTag(),
          name: 'contract-oom',
          command: oom.command,
          memory: oom.memory,
        });
        expect(await final(id)).toMatchObject({ outcome: 'OUT_OF_MEMORY' });
      });
    }
  });
}
