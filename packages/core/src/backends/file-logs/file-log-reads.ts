import type { Clock } from '../../runtime/clock';
import { shellQuote, shellQuotePath, type CommandRunner } from '../../runtime/command-runner';
import { CoreError, isCoreError } from '../../runtime/errors';
import type { LogChunk } from '../backend';
import { LOG_LIMITS } from '../log-limits';

/** Exit status the log commands use for "no such file", so a missing file is never confused with an empty one. */
const MISSING = 44;
/** Exit statuses for files ScriptHut refuses to read (see `guard`). */
const REFUSED = {
  45: 'it is a symbolic link',
  46: 'it is not a regular file',
  47: "it is not owned by the job's user",
} as const;

/**
 * Runs before every read of `path`. A symlink is refused even when its
 * target exists: whoever can write the log directory could otherwise point
 * the recorded path at any file the cluster account can read (its SSH keys).
 * FIFOs and devices would hang or never end. With `owner` (logs of jobs
 * ScriptHut did not submit, whose paths the job's owner chose), the file
 * must belong to that user, as the files Slurm writes do.
 */
const guard = (path: string, owner?: string): string =>
  `p=${shellQuotePath(path)}; [ -L "$p" ] && exit 45; [ -e "$p" ] || exit ${MISSING}; [ -f "$p" ] || exit 46` +
  (owner === undefined
    ? ''
    : `; [ -n "$(find "$p" -prune -user ${shellQuote(owner)} 2>/dev/null)" ] || exit 47`);

function refusal(exitCode: number | null, path: string): CoreError | null {
  const reason =
    exitCode !== null && exitCode in REFUSED ? REFUSED[exitCode as keyof typeof REFUSED] : null;
  return reason === null
    ? null
    : new CoreError(
        'PATH_REFUSED',
        `ScriptHut does not read ${path}: ${reason}. It reads only the regular file the job wrote; see SECURITY.md.`,
        { path },
      );
}

export interface LogRead {
  exists: boolean;
  content: string;
  /** Bytes of the file when read (where a follow continues); absent for a missing file. */
  size?: number;
}

/**
 * Last `lines` lines of a file on the cluster, and its size when read (the
 * cursor a follow continues from, so nothing is shown twice or skipped). The
 * lines come from the file's last LOG_LIMITS.tailBytes before that size.
 */
export async function tailLog(
  runner: CommandRunner,
  path: string,
  lines: number,
  owner?: string,
): Promise<LogRead> {
  const n = Math.max(1, Math.min(LOG_LIMITS.tailLines, Math.floor(lines)));
  const window = LOG_LIMITS.tailBytes;
  const command =
    `${guard(path, owner)}; s=$(stat -c %s -- "$p") || exit 1; w=$(( s < ${window} ? s : ${window} )); printf '%s\\n' "$s"; ` +
    `tail -c +$(( s - w + 1 )) -- "$p" | head -c "$w" | tail -n ${n}`;
  const read = await readFile(runner, command, window + 64, path);
  if (!read.exists) return read;
  const newline = read.content.indexOf('\n');
  return {
    exists: true,
    content: read.content.slice(newline + 1),
    size: Number(read.content.slice(0, newline)),
  };
}

/** The whole file, up to the download limit (OUTPUT_TOO_LARGE beyond it). */
export async function readWholeLog(runner: CommandRunner, path: string): Promise<LogRead> {
  const read = await readFile(
    runner,
    `${guard(path)}; head -c ${LOG_LIMITS.downloadBytes + 1} -- "$p"`,
    LOG_LIMITS.downloadBytes,
    path,
  );
  return read.exists ? { ...read, size: Buffer.byteLength(read.content, 'utf8') } : read;
}

async function readFile(
  runner: CommandRunner,
  command: string,
  maxBytes: number,
  path: string,
): Promise<LogRead> {
  let result;
  try {
    result = await runner.run(command, {
      maxOutputBytes: maxBytes,
      timeoutMs: LOG_LIMITS.commandTimeoutMs,
    });
  } catch (e) {
    if (isCoreError(e) && e.code === 'OUTPUT_TOO_LARGE') {
      throw new CoreError(
        'OUTPUT_TOO_LARGE',
        `The log ${path} is larger than ${maxBytes} bytes; ask for fewer lines, or copy it from the cluster`,
        { path, limitBytes: maxBytes },
      );
    }
    throw e;
  }
  if (result.exitCode === MISSING) return { exists: false, content: '' };
  const refused = refusal(result.exitCode, path);
  if (refused) throw refused;
  if (result.exitCode !== 0) {
    throw new CoreError(
      'SCHEDULER_ERROR',
      `Cannot read ${path}: ${result.stderr.trim() || `exit code ${String(result.exitCode)}`}`,
      { path },
    );
  }
  return { exists: true, content: result.stdout };
}

export interface FollowOptions {
  clock: Clock;
  signal?: AbortSignal;
  /** Byte offset to start from (0: the whole file). */
  fromOffset?: number;
  /** Whether the job has ended (no more output will come), and why. Asked before each read. */
  finished: () => { done: boolean; reason: string };
  /** The file must belong to this user (see `guard`). */
  owner?: string;
}

/**
 * Follows a log file as it grows. CommandRunner has no streaming API, so
 * this polls every second for the bytes after `offset` (`tail -c +N`),
 * base64-encoded so byte offsets stay exact; text is only cut at UTF-8
 * character boundaries. Ends once the job has finished and a read after
 * that found nothing new, or when `signal` aborts.
 */
export async function* followLog(
  runner: CommandRunner,
  path: string,
  o: FollowOptions,
): AsyncGenerator<LogChunk> {
  let offset = Math.max(0, Math.floor(o.fromOffset ?? 0));
  let saidWaiting = false;
  while (!o.signal?.aborted) {
    const state = o.finished();
    const chunk = LOG_LIMITS.followChunkBytes;
    const cmd = `${guard(path, o.owner)}; tail -c +${offset + 1} -- "$p" | head -c ${chunk} | base64 -w0`;
    const result = await runner
      .run(cmd, {
        timeoutMs: LOG_LIMITS.commandTimeoutMs,
        maxOutputBytes: chunk * 2,
        ...(o.signal ? { signal: o.signal } : {}),
      })
      .catch((e: unknown) => {
        if (o.signal?.aborted) return null;
        throw e;
      });
    if (result === null) return;
    if (result.exitCode === MISSING) {
      if (state.done) {
        yield { kind: 'end', reason: `${state.reason}; its log file ${path} does not exist` };
        return;
      }
      if (!saidWaiting) yield { kind: 'waiting', reason: `${path} does not exist yet` };
      saidWaiting = true;
    } else if (refusal(result.exitCode, path)) {
      throw refusal(result.exitCode, path)!;
    } else if (result.exitCode !== 0) {
      throw new CoreError(
        'SCHEDULER_ERROR',
        `Cannot read ${path}: ${result.stderr.trim() || `exit code ${String(result.exitCode)}`}`,
        { path },
      );
    } else {
      const bytes = Buffer.from(result.stdout, 'base64');
      const full = bytes.length === chunk;
      const cut = state.done && !full ? bytes.length : utf8Boundary(bytes);
      if (cut > 0) {
        offset += cut;
        yield {
          kind: 'data',
          offset: offset - cut,
          text: bytes.subarray(0, cut).toString('utf8'),
          cursor: String(offset),
        };
      }
      if (full) continue;
      if (state.done) {
        yield { kind: 'end', reason: state.reason };
        return;
      }
    }
    try {
      await o.clock.sleep(LOG_LIMITS.followPollMs, o.signal);
    } catch {
      return;
    }
  }
}

/** Length of the longest prefix of `bytes` that ends on a UTF-8 character boundary. */
export function utf8Boundary(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let i = n - 1; i >= Math.max(0, n - 4); i--) {
    const b = bytes[i]!;
    if ((b & 0xc0) === 0x80) continue;
    const need = b < 0x80 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return i + need <= n ? n : i;
  }
  return n;
}
