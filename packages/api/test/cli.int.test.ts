import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The CLI as users run it: the built bundle (test-all builds before testing).
const CLI = resolve(import.meta.dirname, '../dist/cli.js');

function run(args: string[], cwd: string) {
  return spawnSync('node', [CLI, ...args], { cwd, encoding: 'utf8', timeout: 20_000, env: { ...process.env, SCRIPTHUT_HOME: cwd } });
}

describe('scripthut CLI', () => {
  it('is built', () => {
    expect(existsSync(CLI)).toBe(true);
  });

  it('prints usage and version', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scripthut-cli-'));
    expect(run(['--help'], dir).stdout).toContain('Usage: scripthut [--config PATH] [--host HOST] [--port PORT]');
    expect(run(['--version'], dir).stdout).toMatch(/^scripthut \d+\.\d+\.\d+/);
  });

  it('refuses a broken config with file, line, field and expectation, and no stack trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scripthut-cli-'));
    writeFileSync(join(dir, 'scripthut.yaml'), 'settings:\n  poll_interval: 2\n  sever_port: 80\n');
    const result = run([], dir);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('scripthut.yaml:2:18: settings.poll_interval: at least 5 seconds');
    expect(result.stderr).toContain('scripthut.yaml:3:3: settings.sever_port: unknown key "sever_port" (did you mean "server_port"?)');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('says when --config names a missing file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scripthut-cli-'));
    const result = run(['--config', 'nope.yaml'], dir);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`${join(dir, 'nope.yaml')}: file not found (given with --config)`);
  });

  it('prints its URL once listening and shuts down cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scripthut-cli-'));
    writeFileSync(join(dir, 'scripthut.yaml'), `settings:\n  data_dir: ${join(dir, 'data')}\n`);
    const child = spawn('node', [CLI, '--port', '0'], { cwd: dir, env: { ...process.env, SCRIPTHUT_HOME: dir } });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const url = await new Promise<string>((resolveUrl, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed: ${stdout}`)), 15_000);
      child.stdout.on('data', () => {
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
        if (m) {
          clearTimeout(timer);
          resolveUrl(m[1]!);
        }
      });
    });
    expect(((await (await fetch(`${url}/health`)).json()) as { status: string }).status).toBeDefined();
    const started = Date.now();
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(5_000);
  }, 30_000);
});

describe('scripthut CLI shutdown with an unreachable cluster', () => {
  it('exits cleanly on SIGTERM within a few seconds while a poll waits for the cluster', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scripthut-cli-'));
    writeFileSync(
      join(dir, 'scripthut.yaml'),
      `clusters:\n  - name: gone\n    type: slurm\n    ssh: {host: 127.0.0.1, port: 9, user: nobody}\nsettings:\n  data_dir: ${join(dir, 'data')}\n`,
    );
    const child = spawn('node', [CLI, '--port', '0'], { cwd: dir, env: { ...process.env, SCRIPTHUT_HOME: dir } });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    await new Promise<void>((resolveStarted, reject) => {
      const timer = setTimeout(() => reject(new Error(`not started: ${stdout}`)), 15_000);
      child.stdout.on('data', () => {
        if (stdout.includes('listening on')) {
          clearTimeout(timer);
          resolveStarted();
        }
      });
    });
    await new Promise((r) => setTimeout(r, 1_000));
    const started = Date.now();
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(5_000);
  }, 30_000);
});
