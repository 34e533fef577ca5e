import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalCommandRunner } from '../../runtime/local-command-runner';
import { systemClock } from '../../runtime/clock';
import { followLog, readWholeLog, tailLog } from './file-log-reads';
import type { LogChunk } from '../backend';

const dir = mkdtempSync(join(tmpdir(), 'scripthut-logpaths-'));
const runner = new LocalCommandRunner(dir, { PATH: process.env.PATH, HOME: dir });
const secret = join(dir, 'id_ed25519');
writeFileSync(secret, 'PRIVATE KEY MATERIAL\n');
const me = userInfo().username;
const someoneElse = me === 'nobody' ? 'root' : 'nobody';

async function follow(path: string, owner?: string): Promise<LogChunk[]> {
  const chunks: LogChunk[] = [];
  const it = followLog(runner, path, {
    clock: systemClock,
    finished: () => ({ done: true, reason: 'the job is completed' }),
    ...(owner ? { owner } : {}),
  });
  for await (const c of it) chunks.push(c);
  return chunks;
}

describe('reading log files only as the job wrote them', () => {
  it('reads a regular file, by tail, whole and follow', async () => {
    const log = join(dir, 'ok.out');
    writeFileSync(log, 'one\ntwo\n');
    expect(await tailLog(runner, log, 1)).toEqual({ exists: true, content: 'two\n', size: 8 });
    expect(await readWholeLog(runner, log)).toEqual({
      exists: true,
      content: 'one\ntwo\n',
      size: 8,
    });
    expect(await follow(log, me)).toEqual([
      { kind: 'data', offset: 0, text: 'one\ntwo\n', cursor: '8' },
      { kind: 'end', reason: 'the job is completed' },
    ]);
  });

  it('continues a follow from the size the tail returned: nothing shown twice, nothing skipped', async () => {
    const log = join(dir, 'grows.out');
    writeFileSync(log, 'first\nsecond\n');
    const tail = await tailLog(runner, log, 1);
    expect(tail).toEqual({ exists: true, content: 'second\n', size: 13 });
    writeFileSync(log, 'first\nsecond\nthird é\n');
    const chunks: LogChunk[] = [];
    const it = followLog(runner, log, {
      clock: systemClock,
      fromOffset: tail.size!,
      finished: () => ({ done: true, reason: 'done' }),
    });
    for await (const c of it) chunks.push(c);
    expect(chunks).toEqual([
      { kind: 'data', offset: 13, text: 'third é\n', cursor: '22' },
      { kind: 'end', reason: 'done' },
    ]);
  });

  it('tails only the last window of a large file, whole lines', async () => {
    const log = join(dir, 'big.out');
    const line = `${'x'.repeat(1023)}\n`;
    writeFileSync(log, line.repeat(6 * 1024));
    const tail = await tailLog(runner, log, 3);
    expect(tail).toEqual({ exists: true, content: line.repeat(3), size: 6 * 1024 * 1024 });
  });

  it('refuses a log that was replaced by a symlink (to a key, or dangling), whatever it points at', async () => {
    const link = join(dir, 'task.out');
    symlinkSync(secret, link);
    const dangling = join(dir, 'gone.out');
    symlinkSync(join(dir, 'nowhere'), dangling);
    for (const path of [link, dangling]) {
      await expect(tailLog(runner, path, 10)).rejects.toMatchObject({
        code: 'PATH_REFUSED',
        message: `ScriptHut does not read ${path}: it is a symbolic link. It reads only the regular file the job wrote; see SECURITY.md.`,
      });
      await expect(readWholeLog(runner, path)).rejects.toMatchObject({ code: 'PATH_REFUSED' });
      await expect(follow(path)).rejects.toMatchObject({ code: 'PATH_REFUSED' });
    }
  });

  it('refuses directories and FIFOs (which would hang a read)', async () => {
    const fifo = join(dir, 'pipe.out');
    execFileSync('mkfifo', [fifo]);
    await expect(tailLog(runner, fifo, 10)).rejects.toMatchObject({
      code: 'PATH_REFUSED',
      message: expect.stringContaining('it is not a regular file') as unknown,
    });
    await expect(tailLog(runner, dir, 10)).rejects.toMatchObject({ code: 'PATH_REFUSED' });
    await expect(tailLog(runner, '/dev/zero', 10)).rejects.toMatchObject({ code: 'PATH_REFUSED' });
  });

  it("refuses another user's file when the job's owner is given (a job's output path chosen by someone else)", async () => {
    await expect(tailLog(runner, secret, 10, someoneElse)).rejects.toMatchObject({
      code: 'PATH_REFUSED',
      message: expect.stringContaining("not owned by the job's user") as unknown,
    });
    await expect(follow(secret, someoneElse)).rejects.toMatchObject({ code: 'PATH_REFUSED' });
    expect(await tailLog(runner, secret, 10, me)).toMatchObject({ exists: true });
  });

  it('treats shell metacharacters in a recorded path as plain characters', async () => {
    const odd = join(dir, "a;touch PWNED $(touch PWNED2) `touch PWNED3` 'q'.out");
    writeFileSync(odd, 'fine\n');
    expect(await tailLog(runner, odd, 5, `${me}`)).toEqual({
      exists: true,
      content: 'fine\n',
      size: 5,
    });
    expect(await tailLog(runner, `${odd}.missing`, 5)).toEqual({ exists: false, content: '' });
    await expect(tailLog(runner, secret, 5, "x' -o -user 'root")).rejects.toMatchObject({
      code: 'PATH_REFUSED',
    });
    expect(['PWNED', 'PWNED2', 'PWNED3'].some((f) => existsSync(join(dir, f)))).toBe(false);
  });
});
