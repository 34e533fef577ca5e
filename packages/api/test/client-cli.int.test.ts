import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_TOKENS_FILE } from '../src/auth/api-token-file';
import { startHut, type Hut } from './client-hut';

let hut: Hut;
beforeAll(async () => {
  hut = await startHut([
    { id: 'sleepy', name: 'Sleep a minute', command: 'echo started; sleep 60' },
    { id: 'quick', name: 'Say hi', command: 'echo hi' },
  ]);
});
afterAll(async () => {
  await hut?.stop();
});

/** A loopback port nothing listens on: bound once to get a free number, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('scripthut client commands against the real server', () => {
  it('runs a source, lists its jobs as JSON, cancels a running job and says when there is nothing left to cancel', async () => {
    const dry = await hut.cli(['run', 'demo', '--dry-run', '--json']);
    expect(dry.status).toBe(0);
    expect((JSON.parse(dry.stdout) as { tasks: { taskId: string }[] }).tasks.map((t) => t.taskId)).toEqual(['sleepy', 'quick']);

    const run = await hut.cli(['run', 'demo', '--json']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const queue = JSON.parse(run.stdout) as { id: string; taskCount: number };
    expect(queue.taskCount).toBe(2);

    const sleepy = await hut.job(queue.id, 'sleepy', (j) => j.state === 'running');
    expect(sleepy.id).toBe(`q:${queue.id}:sleepy`);
    await hut.job(queue.id, 'quick', (j) => j.state === 'completed');

    const listed = await hut.cli(['jobs', '--search', queue.id, '--state', 'completed', '--json']);
    expect(listed.status).toBe(0);
    const page = JSON.parse(listed.stdout) as { jobs: { id: string }[]; total: number };
    expect(page.jobs.map((j) => j.id)).toEqual([`q:${queue.id}:quick`]);

    const cancel = await hut.cli(['cancel', sleepy.id]);
    expect(cancel.stderr).toBe('');
    expect(cancel.status).toBe(0);
    expect(cancel.stdout).toContain(`Cancel requested for ${sleepy.id}`);
    const ended = await hut.job(queue.id, 'sleepy', (j) => j.state === 'failed');
    expect(ended.outcome).toBe('CANCELLED');

    const again = await hut.cli(['cancel', sleepy.id]);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/^scripthut: Job Sleep a minute is not running or queued on the scheduler; nothing to cancel\n$/);

    const queues = await hut.cli(['queues']);
    expect(queues.status).toBe(0);
    expect(queues.stdout).toMatch(new RegExp(`^${queue.id}\\s+demo\\s+local\\s+failed\\s+1/2\\s+0\\s+1\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d\\s+1 cancelled, 1 completed$`, 'm'));
  });

  it('exits 5 for an unknown job, queue or source, and 2 for a usage error', async () => {
    const job = await hut.cli(['logs', 'local:999999']);
    expect(job).toMatchObject({ status: 5, stdout: '', stderr: 'scripthut: No job with id local:999999\n' });
    expect((await hut.cli(['cancel', 'nosuchqueue'])).status).toBe(5);
    expect((await hut.cli(['run', 'nosuchsource'])).status).toBe(5);
    const bad = await hut.cli(['jobs', '--limit', 'many']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('scripthut: --limit must be a whole number from 1 to 20000, got "many"\nSee: scripthut jobs --help\n');
  });

  it('exits 3 when no server answers, naming the URL and how to point elsewhere', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const r = await hut.cli(['jobs'], { SCRIPTHUT_SERVER: url });
    expect(r.status).toBe(3);
    expect(r.stderr).toBe(`scripthut: cannot reach the ScriptHut server at ${url} (ECONNREFUSED). Start it with "scripthut" on that machine, or point the client at it with --server URL or SCRIPTHUT_SERVER\n`);
  });

  it('exits 4 without a token or with a wrong one, saying how to get one', async () => {
    const none = await hut.cli(['jobs'], { SCRIPTHUT_TOKEN: '' });
    expect(none.status).toBe(4);
    expect(none.stderr).toContain(`the server at ${hut.server.url} needs a token`);
    expect(none.stderr).toContain('scripthut token create NAME --config PATH');
    const wrong = await hut.cli(['jobs'], { SCRIPTHUT_TOKEN: `${hut.token.slice(0, -3)}abc` });
    expect(wrong.status).toBe(4);
    expect(wrong.stderr).toContain('refused the token in SCRIPTHUT_TOKEN (wrong or revoked)');
  });

  it('stops a token on the running server the moment it is revoked, and never stores it in clear', async () => {
    const made = await hut.cli(['token', 'create', 'laptop', '--config', hut.config, '--json']);
    expect(made.status).toBe(0);
    const { token, id } = JSON.parse(made.stdout) as { token: string; id: string };
    expect(readFileSync(join(hut.dir, 'data', API_TOKENS_FILE), 'utf8')).not.toContain(token);
    expect((await hut.cli(['queues'], { SCRIPTHUT_TOKEN: token })).status).toBe(0);
    const revoked = await hut.cli(['token', 'revoke', id, '--config', hut.config]);
    expect(revoked.status).toBe(0);
    expect((await hut.cli(['queues'], { SCRIPTHUT_TOKEN: token })).status).toBe(4);
    expect((await hut.cli(['queues'])).status).toBe(0);
    const list = await hut.cli(['token', 'list', '--config', hut.config]);
    // A token made without --user acts as the shared account.
    expect(list.stdout).toMatch(new RegExp(`^${id}\\s+laptop\\s+\\(shared\\)\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d\\s+\\d{4}-`, 'm'));
    expect((await hut.cli(['token', 'revoke', 'ffffffffffff', '--config', hut.config])).status).toBe(5);
  });
});

describe('scripthut client commands against a loopback server without a login', () => {
  let open: Hut;
  beforeAll(async () => {
    open = await startHut([{ id: 'quick', name: 'Say hi', command: 'echo hi' }], { login: false });
  });
  afterAll(async () => {
    await open?.stop();
  });

  it('needs no token, for queries and state-changing commands alike, as the browser does', async () => {
    const run = await open.cli(['run', 'demo', '--json'], { SCRIPTHUT_TOKEN: '' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const { id } = JSON.parse(run.stdout) as { id: string };
    await open.job(id, 'quick', (j) => j.state === 'completed');
    const logs = await open.cli(['logs', `q:${id}:quick`], { SCRIPTHUT_TOKEN: '' });
    expect(logs).toMatchObject({ status: 0, stdout: 'hi\n' });
    const cancel = await open.cli(['cancel', id], { SCRIPTHUT_TOKEN: '' });
    expect(cancel.status).toBe(1);
    expect(cancel.stderr).toBe(`scripthut: Queue ${id} is already completed\n`);
  });
});
