import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatedTask, startHut, type Hut } from './client-hut';
import { CLI } from './secret-run';
import { Tmux } from './tmux';

let hut: Hut;
let tmux: Tmux;
let queueId: string;
const gate = (task: string): string => join(hut.dir, `gate-${task}`);
const open = (task: string, n: number): void => writeFileSync(`${gate(task)}-${n}`, '');

beforeAll(async () => {
  // Each task prints a line and waits for the test to open its gate, so what the pane shows
  // at each step is exactly what the job has printed so far.
  hut = await startHut((dir) => [gatedTask('ok', join(dir, 'gate-ok'), 3, 0), gatedTask('bad', join(dir, 'gate-bad'), 2, 3), gatedTask('long', join(dir, 'gate-long'), 2, 0)]);
  tmux = new Tmux(hut.dir);
  const run = await hut.cli(['run', 'demo', '--json']);
  expect(run.status).toBe(0);
  queueId = (JSON.parse(run.stdout) as { id: string }).id;
  for (const task of ['ok', 'bad', 'long']) await hut.job(queueId, task, (j) => j.state === 'running');
}, 120_000);
afterAll(async () => {
  tmux?.kill();
  // Open every gate, so no job is left waiting on this machine whatever a test did.
  if (hut) for (const task of ['ok', 'bad', 'long']) for (let n = 1; n <= 3; n++) open(task, n);
  await hut?.stop();
});

/** Starts `scripthut logs JOB -f` in a tmux pane, as a person types it. */
function follow(session: string, task: string): void {
  tmux.start(session, ['node', CLI, 'logs', `q:${queueId}:${task}`, '-f'], {
    SCRIPTHUT_SERVER: hut.server.url,
    SCRIPTHUT_TOKEN: hut.token,
    SCRIPTHUT_HOME: hut.dir,
  });
}

describe('scripthut logs -f in a real terminal', () => {
  it('shows each line as the job prints it and exits 0 when the job completes', async () => {
    follow('ok', 'ok');
    for (let n = 1; n <= 3; n++) {
      const screen = await tmux.waitForScreen('ok', new RegExp(`^line ${n}$`, 'm'));
      expect(screen).not.toMatch(new RegExp(`^line ${n + 1}$`, 'm'));
      open('ok', n);
    }
    expect(await tmux.exitStatus('ok')).toBe(0);
    const lines = tmux.screen('ok').split('\n').filter((l) => l.startsWith('line'));
    expect(lines).toEqual(['line 1', 'line 2', 'line 3']);
  });

  it('exits 1 when the job fails, saying how it ended', async () => {
    follow('bad', 'bad');
    await tmux.waitForScreen('bad', /^line 1$/m);
    open('bad', 1);
    await tmux.waitForScreen('bad', /^line 2$/m);
    open('bad', 2);
    expect(await tmux.exitStatus('bad')).toBe(1);
    expect(tmux.screen('bad')).toMatch(new RegExp(`^scripthut: job q:${queueId}:bad ended failed`, 'm'));
  });

  it('exits 130 on Ctrl-C while the job still runs', async () => {
    follow('long', 'long');
    await tmux.waitForScreen('long', /^line 1$/m);
    tmux.sendKeys('long', 'C-c');
    expect(await tmux.exitStatus('long')).toBe(130);
    open('long', 1);
    open('long', 2);
  });
});
