import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createCore, ScripthutConfig, shellQuote, systemClock, type Job, type ScripthutCore } from '@scripthut/core';
import { createSshConnection, readTestbed, testbedTarget, type SshConnection } from '@scripthut/core/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { prepareAuth } from '../src/auth/startup-auth';
import { cookieOf, serve, trpcGet, trpcPost, type Harness, type TrpcErrorBody } from './http-harness';

// Two ScriptHut users mapped to the testbed's two cluster users, and an admin
// without a login of their own, through the real HTTP API: each sees their own
// jobs as "My jobs", one cannot cancel the other's job (FORBIDDEN, and Slurm
// still runs it), the admin can.

const PASSWORD = readFileSync(resolve(import.meta.dirname, 'test-secrets.txt'), 'utf8').split('\n')[1]!;
const task = [{ id: 'nap', name: 'identity nap', command: 'sleep 600' }];

let dir: string;
let core: ScripthutCore;
let harness: Harness;
let base: string;
const cookies: Record<string, string> = {};
const ssh: SshConnection[] = [];

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const call = async (user: string, kind: 'query' | 'mutation', path: string, input: unknown) => {
  const headers = { cookie: cookies[user]!, origin: base };
  const res = kind === 'query' ? await trpcGet(base, path, input, headers) : await trpcPost(base, path, input, headers);
  return { status: res.status, body: (await res.json()) as { result?: { data: unknown } } & Partial<TrpcErrorBody> };
};
const data = async <T>(user: string, kind: 'query' | 'mutation', path: string, input: unknown): Promise<T> => {
  const r = await call(user, kind, path, input);
  if (r.status !== 200) throw new Error(`${path} as ${user}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.result!.data as T;
};

/** Slurm's own state word for a job, asked as its owner (null once squeue no longer lists it). */
async function slurmState(as: SshConnection, schedulerJobId: string): Promise<string | null> {
  const r = await as.run(`squeue -h --states=all -j ${shellQuote(schedulerJobId)} -o %T`, { timeoutMs: 30_000 });
  return r.stdout.trim() || null;
}

beforeAll(async () => {
  const env = await readTestbed();
  const tb = { host: env.HUT_SSH_HOST!, port: Number(env.HUT_SSH_PORT), knownHosts: env.HUT_SSH_KNOWN_HOSTS!, key: (u: string) => env[`HUT_KEY_${u}`]! };
  dir = mkdtempSync(join(tmpdir(), 'scripthut-identities-'));
  const config = ScripthutConfig.parse({
    clusters: [
      {
        name: 'hut',
        type: 'slurm',
        ssh: { host: tb.host, port: tb.port, user: 'hutuser', key_path: tb.key('hutuser'), known_hosts: tb.knownHosts },
        log_dir: `~/.cache/scripthut-identities/${Date.now()}`,
        identities: {
          alice: { user: 'hutuser', key_path: tb.key('hutuser') },
          bob: { user: 'hutuser2', key_path: tb.key('hutuser2') },
        },
      },
    ],
    task_sources: [{ name: 'nap', cluster: 'hut', command: `printf '%s' ${shellQuote(JSON.stringify(task))}` }],
    settings: {
      poll_interval: 5,
      data_dir: join(dir, 'data'),
      auth: {
        users: [
          { name: 'alice', password_env: 'HUT_ALICE_PASSWORD' },
          { name: 'bob', password_env: 'HUT_BOB_PASSWORD' },
          { name: 'root', password_env: 'HUT_ROOT_PASSWORD', admin: true },
        ],
      },
    },
  });
  const passwords = { HUT_ALICE_PASSWORD: PASSWORD, HUT_BOB_PASSWORD: PASSWORD, HUT_ROOT_PASSWORD: PASSWORD };
  const auth = await prepareAuth({ settings: config.settings, host: '127.0.0.1', dataDir: join(dir, 'data'), resetToken: false, env: passwords, log: () => undefined });
  if (!auth.ok) throw new Error(auth.message);
  core = await createCore({ config, configPath: null, homeDir: homedir(), cwd: dir, version: 'test', clock: systemClock, environment: {}, localUser: 'tester', log: () => undefined });
  await core.start();
  harness = await serve({ core, security: auth.security, webDist: null });
  base = harness.base;
  for (const user of ['alice', 'bob', 'root']) {
    const res = await fetch(`${base}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base },
      body: JSON.stringify({ user, secret: PASSWORD }),
    });
    expect(res.status).toBe(200);
    cookies[user] = cookieOf(res);
  }
  for (const user of ['hutuser', 'hutuser2']) {
    ssh.push(createSshConnection(testbedTarget(env, { user, keyPath: tb.key(user), homeDir: homedir() }), { clock: systemClock }));
  }
});

afterAll(async () => {
  // Whatever a failed assertion left running, each owner cancels their own.
  for (const conn of ssh) await conn.run(`scancel --me --jobname=${shellQuote('identity nap')}`, { timeoutMs: 30_000 }).catch(() => undefined);
  await Promise.all(ssh.map((c) => c.close()));
  await harness?.close();
  await core?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Info {
  myUserByCluster: Record<string, string | null>;
  viewer: { user: string | null; admin: boolean };
}
interface Queue {
  id: string;
  owner: string | null;
}

async function runningJobOf(user: string, queueId: string): Promise<Job> {
  return waitFor(`${user}'s job of ${queueId} to run`, async () => {
    core.refresh('hut');
    const detail = await data<{ tasks: { job: Job | null }[] }>(user, 'query', 'queues.get', { id: queueId });
    const job = detail.tasks[0]?.job;
    return job?.state === 'running' ? job : undefined;
  });
}

it("submits as each user's own cluster login, shows each their own jobs, and lets only the owner or an admin cancel", async () => {
  const aliceInfo = await data<Info>('alice', 'query', 'system.info', null);
  const bobInfo = await data<Info>('bob', 'query', 'system.info', null);
  expect(aliceInfo.myUserByCluster).toEqual({ hut: 'hutuser' });
  expect(bobInfo.myUserByCluster).toEqual({ hut: 'hutuser2' });
  expect(bobInfo.viewer).toEqual({ user: 'bob', admin: false });

  const aliceQueue = await data<Queue>('alice', 'mutation', 'taskSources.run', { name: 'nap' });
  const bobQueue = await data<Queue>('bob', 'mutation', 'taskSources.run', { name: 'nap' });
  expect([aliceQueue.owner, bobQueue.owner]).toEqual(['alice', 'bob']);
  const aliceJob = await runningJobOf('alice', aliceQueue.id);
  const bobJob = await runningJobOf('bob', bobQueue.id);
  expect([aliceJob.user, bobJob.user]).toEqual(['hutuser', 'hutuser2']);

  // "My jobs": the list filtered by each one's own cluster users, as the Jobs page asks it.
  const mine = async (user: string, info: Info) =>
    (
      await data<{ jobs: Job[] }>(user, 'query', 'jobs.list', {
        owners: Object.entries(info.myUserByCluster).map(([cluster, u]) => ({ cluster, user: u })),
        states: ['running'],
      })
    ).jobs.map((j) => j.id);
  expect(await mine('alice', aliceInfo)).toContain(aliceJob.id);
  expect(await mine('alice', aliceInfo)).not.toContain(bobJob.id);
  expect(await mine('bob', bobInfo)).toEqual(expect.arrayContaining([bobJob.id]));
  expect(await mine('bob', bobInfo)).not.toContain(aliceJob.id);

  const refused = await call('bob', 'mutation', 'jobs.cancel', { id: aliceJob.id });
  expect(refused.status).toBe(403);
  expect(refused.body.error?.data.code).toBe('FORBIDDEN');
  expect(refused.body.error?.message).toBe(
    `bob may not cancel job ${aliceJob.id}: it belongs to hutuser on hut (bob is hutuser2 there); only the job's owner or an admin may`,
  );
  const queueRefused = await call('bob', 'mutation', 'queues.cancel', { id: aliceQueue.id });
  expect(queueRefused.body.error?.data.code).toBe('FORBIDDEN');
  const many = await data<{ id: string; ok: boolean }[]>('bob', 'mutation', 'jobs.cancelMany', { ids: [aliceJob.id] });
  expect(many).toMatchObject([{ id: aliceJob.id, ok: false }]);
  expect(await slurmState(ssh[0]!, aliceJob.schedulerJobId!)).toBe('RUNNING');

  // The admin has no login of their own: the cancel goes over the job owner's (hutuser2), which Slurm takes.
  await data('root', 'mutation', 'jobs.cancel', { id: bobJob.id });
  await waitFor("bob's job to be cancelled on Slurm", async () => {
    const state = await slurmState(ssh[1]!, bobJob.schedulerJobId!);
    return state === 'RUNNING' ? undefined : state;
  });
  await data('alice', 'mutation', 'queues.cancel', { id: aliceQueue.id });
  await waitFor("alice's job to leave the RUNNING state", async () => {
    const state = await slurmState(ssh[0]!, aliceJob.schedulerJobId!);
    return state === 'RUNNING' ? undefined : state;
  });
});
