/** Result of one remote (or local) command. */
export interface CommandResult {
  stdout: string;
  stderr: string;
  /**
   * Exit status. Null when the command produced none (killed by a signal, or
   * the channel closed early) — never reported as 0.
   */
  exitCode: number | null;
  /** Signal name when the command was killed by one (`KILL`, `TERM`). */
  signal: string | null;
  durationMs: number;
}

export interface RunOptions {
  /** Bytes written to the command's stdin, then stdin is closed. */
  stdin?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Upper bound on captured stdout; exceeding it fails the command with OUTPUT_TOO_LARGE. */
  maxOutputBytes?: number;
}

/**
 * Runs a shell command line somewhere (over SSH on a cluster, or locally).
 * Rejects only when the command could not be run or completed (connection
 * lost, timeout, abort); a non-zero exit is a normal result.
 */
export interface CommandRunner {
  run(command: string, options?: RunOptions): Promise<CommandResult>;
}

/** Quote one word for a POSIX shell: the result is always a single literal word. */
export function shellQuote(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * Quote a path for a POSIX shell but keep a leading `~` or `~/` meaning the
 * remote user's home: `~/a b` -> `"$HOME"/'a b'`.
 */
export function shellQuotePath(path: string): string {
  if (path === '~') return '"$HOME"';
  if (path.startsWith('~/')) return `"$HOME"/${shellQuote(path.slice(2))}`;
  return shellQuote(path);
}
