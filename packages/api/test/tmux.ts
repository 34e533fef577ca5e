import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { shellQuote } from '@scripthut/core';
import { waitFor } from './server-process';

/**
 * A private tmux server (its own socket, so no one else's sessions are
 * touched) whose panes stay after their command exits, so the exit status
 * can be read: a real terminal for the client, as a person runs it.
 */
export class Tmux {
  private readonly socket: string;
  private readonly conf: string;

  constructor(dir: string) {
    this.socket = `scripthut-test-${process.pid}-${Date.now()}`;
    this.conf = join(dir, 'tmux.conf');
    writeFileSync(this.conf, 'set -g remain-on-exit on\nset -g history-limit 5000\n');
  }

  private tmux(args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, '-f', this.conf, ...args], { encoding: 'utf8', timeout: 10_000 });
  }

  /** Starts `argv` (quoted for the pane's shell) in a new 160×40 session with `env`. */
  start(session: string, argv: string[], env: Record<string, string>): void {
    const envArgs = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    this.tmux(['new-session', '-d', '-s', session, '-x', '160', '-y', '40', ...envArgs, argv.map(shellQuote).join(' ')]);
  }

  /** What the pane shows, with its scrollback. */
  screen(session: string): string {
    return this.tmux(['capture-pane', '-p', '-J', '-S', '-', '-t', session]);
  }

  /** Waits until the pane shows text matching `pattern`; returns the screen. */
  waitForScreen(session: string, pattern: RegExp, timeoutMs = 60_000): Promise<string> {
    return waitFor(`${pattern} in tmux session ${session}`, () => {
      const screen = this.screen(session);
      return Promise.resolve(pattern.test(screen) ? screen : undefined);
    }, timeoutMs, 100);
  }

  /** Waits until the pane's command has exited; returns its exit status (128+n for a signal). */
  async exitStatus(session: string, timeoutMs = 60_000): Promise<number> {
    const status = await waitFor(`the command in tmux session ${session} to exit`, () => {
      // The pane reads as dead when its terminal closes, a moment before tmux has reaped the status.
      const [dead, code, signal] = this.tmux(['display-message', '-p', '-t', session, '#{pane_dead}:#{pane_dead_status}:#{pane_dead_signal}']).trim().split(':');
      if (dead !== '1') return Promise.resolve(undefined);
      if (signal) return Promise.resolve(128 + Number(signal));
      return Promise.resolve(code ? Number(code) : undefined);
    }, timeoutMs, 100);
    return status;
  }

  sendKeys(session: string, keys: string): void {
    this.tmux(['send-keys', '-t', session, keys]);
  }

  kill(): void {
    try {
      this.tmux(['kill-server']);
    } catch {
      // Already gone (no sessions left).
    }
  }
}
