import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeCore } from './fake-core';
import { rawRequest, serve, type Harness } from './http-harness';

const parse = (text: string): { code?: string } | null => {
  try {
    return JSON.parse(text) as { code?: string };
  } catch {
    return null;
  }
};

/** Path segments that must never name a task source, queue, task or log, percent-encoded as a client would send them. */
const HOSTILE_SEGMENTS = [
  '%2e%2e',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '..%2f..%2fetc%2fpasswd',
  '%2fetc%2fpasswd',
  '%252e%252e%252f',
  '~%2f.ssh%2fid_ed25519',
  'a%00b',
  'a%0ab',
  '%24(id)',
  '%60id%60',
  'a%3brm%20-rf%20~',
  'a%7ccat',
  '%3cscript%3e',
  'cl%C3%BCster',
  '%E2%80%AEevil',
  '.hidden',
  '-rf',
  'x'.repeat(200),
];

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

const ROUTES: [method: 'GET' | 'POST', template: (s: string) => string][] = [
  ['GET', (s) => `/task-sources/${s}/dry-run`],
  ['POST', (s) => `/task-sources/${s}/run`],
  ['POST', (s) => `/queues/${s}/cancel`],
  ['POST', (s) => `/queues/${s}/retry`],
  ['POST', (s) => `/queues/${s}/rerun`],
  ['GET', (s) => `/queues/${s}/tasks/t1/script`],
  ['GET', (s) => `/queues/q1/tasks/${s}/script`],
  ['GET', (s) => `/queues/${s}/tasks/t1/logs/output`],
  ['GET', (s) => `/queues/q1/tasks/${s}/logs/error?download=1`],
  ['GET', (s) => `/queues/q1/tasks/t1/logs/${s}`],
  ['POST', (s) => `/sources/${s}/sync`],
  ['POST', (s) => `/sources/${s}/reset`],
];

describe('REST routes refuse hostile path parameters', () => {
  it.each(ROUTES.map(([m, t]) => [`${m} ${t(':param')}`, m, t] as const))(
    '%s: 400 INVALID_INPUT, the core untouched',
    async (_name, method, template) => {
      const failures: string[] = [];
      for (const segment of HOSTILE_SEGMENTS) {
        const before = calls.length;
        const base = harness.base;
        const res = await rawRequest(base, method, template(segment), {
          origin: base,
          accept: 'application/json',
        });
        const body = parse(res.body);
        if (res.status !== 400 || body?.code !== 'INVALID_INPUT')
          failures.push(`${segment} → ${res.status} ${res.body.slice(0, 200)}`);
        if (calls.length !== before)
          failures.push(`${segment} reached the core: ${calls.slice(before).join(', ')}`);
      }
      expect(failures).toEqual([]);
    },
  );

  it('refuses bad log query parameters before reading anything', async () => {
    for (const query of [
      'tail=abc',
      'tail=-1',
      'tail=0',
      'tail=1e9',
      'tail=10001',
      'download=yes',
      'tail=1&tail=2',
    ]) {
      const before = calls.length;
      const res = await fetch(`${harness.base}/queues/q1/tasks/t1/logs/output?${query}`, {
        headers: { accept: 'application/json' },
      });
      expect(res.status, query).toBe(400);
      expect(calls.slice(before), query).toEqual([]);
    }
  });
});
