import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeCore } from './fake-core';
import {
  refusedStream,
  serve,
  trpcGet,
  trpcPost,
  type Harness,
  type TrpcErrorBody,
} from './http-harness';
import {
  BAD_JOB_IDS,
  BAD_LOG_KINDS,
  BAD_NAMES,
  BAD_OFFSETS,
  BAD_TAILS,
  BAD_TASK_IDS,
  NOT_OBJECTS,
} from './input-corpus';

type Kind = 'query' | 'mutation' | 'subscription';
interface Procedure {
  path: string;
  kind: Kind;
  valid: Record<string, unknown>;
  fields: Record<string, unknown[]>;
}

const PROCEDURES: Procedure[] = [
  {
    path: 'clusters.refresh',
    kind: 'mutation',
    valid: { cluster: 'hpc' },
    fields: { cluster: BAD_NAMES.filter((v) => v !== null) },
  },
  { path: 'jobs.get', kind: 'query', valid: { id: 'hpc:1' }, fields: { id: BAD_JOB_IDS } },
  { path: 'jobs.cancel', kind: 'mutation', valid: { id: 'hpc:1' }, fields: { id: BAD_JOB_IDS } },
  {
    path: 'jobs.log',
    kind: 'query',
    valid: { id: 'hpc:1', kind: 'output' },
    fields: { id: BAD_JOB_IDS, kind: BAD_LOG_KINDS, tail: BAD_TAILS },
  },
  {
    path: 'jobs.logFollow',
    kind: 'subscription',
    valid: { id: 'hpc:1', kind: 'output' },
    fields: { id: BAD_JOB_IDS, kind: BAD_LOG_KINDS, lastEventId: BAD_OFFSETS },
  },
  {
    path: 'events.stream',
    kind: 'subscription',
    valid: {},
    fields: { lastEventId: [12, {}, [], 'x'.repeat(101)] },
  },
  {
    path: 'jobs.list',
    kind: 'query',
    valid: {},
    fields: {
      limit: [0, -1, 20_001, 1.5, '10', 1e308],
      offset: [-1, 1e12, 0.5, 'a'],
      states: ['running', ['nope'], Array(11).fill('running'), [null]],
      sort: [
        { field: 'password' },
        { field: 'name', dir: 'sideways' },
        { field: 'name', dir: 'asc', x: 1 },
      ],
      text: ['x'.repeat(201), 5],
      cluster: ['x'.repeat(65), {}],
    },
  },
  {
    path: 'taskSources.dryRun',
    kind: 'query',
    valid: { name: 'exp' },
    fields: { name: BAD_NAMES },
  },
  {
    path: 'taskSources.run',
    kind: 'mutation',
    valid: { name: 'exp' },
    fields: { name: BAD_NAMES },
  },
  { path: 'queues.get', kind: 'query', valid: { id: 'q1' }, fields: { id: BAD_NAMES } },
  { path: 'queues.cancel', kind: 'mutation', valid: { id: 'q1' }, fields: { id: BAD_NAMES } },
  {
    path: 'queues.retry',
    kind: 'mutation',
    valid: { id: 'q1', states: ['failed'] },
    fields: {
      id: BAD_NAMES,
      states: [[], ['exploded'], 'failed', Array(7).fill('failed'), [null]],
      overrides: [
        { memory: '4G --uid=0' },
        { memory: '4G\n#SBATCH --uid=0' },
        { time_limit: '1:00:00; id' },
        { partition: 'gpu' },
        'big',
      ],
    },
  },
  { path: 'queues.rerun', kind: 'mutation', valid: { id: 'q1' }, fields: { id: BAD_NAMES } },
  {
    path: 'queues.cancelTask',
    kind: 'mutation',
    valid: { queueId: 'q1', taskId: 't1' },
    fields: { queueId: BAD_NAMES, taskId: BAD_TASK_IDS },
  },
  {
    path: 'queues.script',
    kind: 'query',
    valid: { queueId: 'q1', taskId: 't1' },
    fields: { queueId: BAD_NAMES, taskId: BAD_TASK_IDS },
  },
  {
    path: 'queues.log',
    kind: 'query',
    valid: { queueId: 'q1', taskId: 't1', kind: 'error' },
    fields: { queueId: BAD_NAMES, taskId: BAD_TASK_IDS, kind: BAD_LOG_KINDS, tail: BAD_TAILS },
  },
  {
    path: 'queues.logFollow',
    kind: 'subscription',
    valid: { queueId: 'q1', taskId: 't1', kind: 'output' },
    fields: { taskId: BAD_TASK_IDS, lastEventId: BAD_OFFSETS },
  },
  { path: 'sources.sync', kind: 'mutation', valid: { name: 'jobs' }, fields: { name: BAD_NAMES } },
  { path: 'sources.reset', kind: 'mutation', valid: { name: 'jobs' }, fields: { name: BAD_NAMES } },
];

/** Every method call on the core (and its queue and source halves), in order. */
const calls: string[] = [];
function counting<T extends object>(target: T, prefix = ''): T {
  return new Proxy(target, {
    get(t, prop, receiver) {
      const value: unknown = Reflect.get(t, prop, receiver);
      if (typeof value === 'function') {
        const fn = value as (...args: unknown[]) => unknown;
        return (...args: unknown[]) => {
          calls.push(`${prefix}${String(prop)}`);
          return fn.apply(t, args);
        };
      }
      if ((prop === 'queues' || prop === 'sources') && typeof value === 'object' && value !== null)
        return counting(value, `${String(prop)}.`);
      return value;
    },
  });
}

let harness: Harness;
beforeAll(async () => {
  harness = await serve({ core: counting(new FakeCore()), webDist: null });
});
afterAll(() => harness.close());

/** Sends one call as the SPA would; answers the tRPC error code, message and HTTP status. */
async function call(
  p: Procedure,
  input: unknown,
): Promise<{ status: number; code: string; message: string }> {
  const base = harness.base;
  if (p.kind === 'subscription') {
    const url = `${base}/trpc/${p.path}?input=${encodeURIComponent(JSON.stringify(input))}`;
    return { status: 400, ...(await refusedStream(url, { referer: `${base}/` })) };
  }
  const res =
    p.kind === 'query'
      ? await trpcGet(base, p.path, input)
      : await trpcPost(base, p.path, input, { origin: base });
  const body = (await res.json()) as Partial<TrpcErrorBody>;
  return {
    status: res.status,
    code: body.error?.data.code ?? 'none',
    message: body.error?.message ?? '',
  };
}

/** The one-line message names the field (or a part of it, `states[0]`, `sort.dir`) right after a separator. */
const namesField = (message: string, field: string): boolean =>
  new RegExp(`^Invalid input: (.*; )?${field.replace(/[()[\].]/g, '\\$&')}[.[:]`).test(message);

const casesOf = (p: Procedure) => [
  ...Object.entries(p.fields).flatMap(([field, values]) =>
    values.map((value) => ({ input: { ...p.valid, [field]: value }, field })),
  ),
  ...NOT_OBJECTS.map((input) => ({ input, field: '(input)' })),
  { input: { ...p.valid, extra: 1 } as unknown, field: '(input)' },
  {
    input: JSON.parse(
      `{"__proto__": {"admin": true}, ${JSON.stringify(p.valid).slice(1, -1) || '"_": 0'}}`,
    ) as unknown,
    field: '(input)',
  },
];

describe('API input fuzz corpus', () => {
  it.each(PROCEDURES.map((p) => [p.path, p] as const))(
    '%s refuses hostile inputs with BAD_REQUEST naming the field, before the core is called',
    async (_path, p) => {
      const failures: string[] = [];
      for (const { input, field } of casesOf(p)) {
        const before = calls.length;
        const result = await call(p, input).catch((e: unknown) => ({
          status: 0,
          code: 'none',
          message: String(e),
        }));
        const ok =
          result.status === 400 &&
          result.code === 'BAD_REQUEST' &&
          namesField(result.message, field);
        if (!ok)
          failures.push(
            `${JSON.stringify(input).slice(0, 120)} → ${result.status} ${result.code} ${result.message.slice(0, 160)}`,
          );
        if (calls.length !== before)
          failures.push(
            `${JSON.stringify(input).slice(0, 120)} reached the core: ${calls.slice(before).join(', ')}`,
          );
      }
      expect(failures).toEqual([]);
    },
    60_000,
  );

  it('covers more than 800 hostile inputs in all', () => {
    expect(PROCEDURES.flatMap(casesOf).length).toBeGreaterThan(800);
  });

  it('refuses input that is not JSON, and a batch of one good and one bad call, each precisely', async () => {
    const broken = await fetch(`${harness.base}/trpc/jobs.get?input=%7Bbroken`);
    expect(broken.status).toBe(400);
    const batch = await fetch(
      `${harness.base}/trpc/jobs.get,jobs.get?batch=1&input=${encodeURIComponent(JSON.stringify({ 0: { id: 'hpc:none' }, 1: { id: 5 } }))}`,
    );
    const [first, second] = (await batch.json()) as TrpcErrorBody[];
    expect(first?.error.data.code).toBe('NOT_FOUND');
    expect(second?.error.message).toBe(
      'Invalid input: id: Invalid input: expected string, received number',
    );
  });

  it('treats printable junk job ids as unknown ids: a lookup, never a cancel', async () => {
    const strict = counting(
      Object.assign(new FakeCore(), {
        cancelJob(id: string): never {
          throw Object.assign(new Error(`No job with id ${id}`), {
            name: 'CoreError',
            code: 'NOT_FOUND',
          });
        },
      }),
    );
    const h = await serve({ core: strict, webDist: null });
    try {
      for (const id of ['../../etc/passwd', '$(id)', "';--", 'hpc:1;rm']) {
        const get = await trpcGet(h.base, 'jobs.get', { id });
        expect(get.status).toBe(404);
      }
      expect(calls.filter((c) => c === 'cancelJob')).toEqual([]);
    } finally {
      await h.close();
    }
  });
});
