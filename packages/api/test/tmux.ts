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

  /**
   * Starts `argv` (quoted for the pane's shell) in a new 160×40 session with
   * `env`, and prints its exit status on a line of its own after it (the
   * terminal echoes ^C without a newline), as a person would check it with
   * `echo $?`: tmux's own #{pane_dead_status} is sometimes left empty when
   * the terminal closes before the process is reaped. bash, because it goes
   * on after a child that handled Ctrl-C itself and exited.
   */
  start(session: string, argv: string[], env: Record<string, string>): void {
    const envArgs = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    const command = ['bash', '-c', '"$@"; s=$?; printf \'\\n[exit status %s]\\n\' "$s"', 'bash', ...argv].map(shellQuote).join(' ');
    this.tmux(['new-session', '-d', '-s', session, '-x', '160', '-y', '40', ...envArgs, command]);
  }

  /** What the pane shows, with its scrollback. */
  screen(session: string): string {
    return this.tmux(['capture-pane', '-p', '-J', '-S', '-', '-t', session]);
  }

  /** Waits until the pane shows text matching `pattern`; returns the screen. */
  waitForScreen(session: string, pattern: RegExp, timeoutMs = 60_000): Promise<string> {
    return this.withScreenOnFailure(session, () =>
      waitFor(`${pattern} in tmux session ${session}`, () => {
        const screen = this.screen(session);
        return Promise.resolve(pattern.test(screen) ? screen : undefined);
      }, timeoutMs, 100),
    );
  }

  /** Waits until the pane's command has exited; returns its exit status. */
  async exitStatus(session: string, timeoutMs = 60_000): Promise<number> {
    return this.withScreenOnFailure(session, () => this.waitForExit(session, timeoutMs));
  }

  /** A failed wait says what the terminal showed, which is what a person would look at. */
  private async withScreenOnFailure<T>(session: string, wait: () => Promise<T>): Promise<T> {
    try {
      return await wait();
    } catch (e) {
      throw new Error(`${e instanceof Error ? e.message : String(e)}; the terminal shows:\n${this.screen(session).trimEnd()}`);
    }
  }

  private async waitForExit(session: string, timeoutMs: number): Promise<number> {
    const screen = await waitFor(`the command in tmux session ${session} to exit`, () => {
      const shown = this.screen(session);
      return Promise.resolve(/^\[exit status \d+\]$/m.test(shown) ? shown : undefined);
    }, timeoutMs, 100);
    return Number(/^\[exit status (\d+)\]$/m.exec(screen)![1]);
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
