import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * On-disk record of local jobs, one directory per job, written so that a
 * restarted server (or one killed at any point) can tell what ran:
 * `spec.json`, `script.sh`, `started` (epoch ms, written by the job's wrapper
 * before its pid), `pid` (pid and kernel start time), `launch-error` (why the
 * wrapper could not open the log files; the script never ran), `finished`
 * (epoch ms) and `rc` (exit status, written atomically last), `cancelled`
 * (marker written before a cancel signal is sent).
 */
export class LocalJobFiles {
  constructor(readonly root: string) {
    mkdirSync(join(root, 'jobs'), { recursive: true });
  }

  dir(id: string): string {
    return join(this.root, 'jobs', id);
  }

  /** Next job id; ids are never reused. */
  allocateId(): string {
    const counter = join(this.root, 'next-id');
    const next = existsSync(counter) ? Number(readFileSync(counter, 'utf8').trim()) || 1 : 1;
    writeAtomic(counter, String(next + 1));
    return String(next);
  }

  ids(): string[] {
    return readdirSync(join(this.root, 'jobs')).filter((n) => /^\d+$/.test(n));
  }

  read(id: string, file: string): string | null {
    try {
      return readFileSync(join(this.dir(id), file), 'utf8');
    } catch {
      return null;
    }
  }

  write(id: string, file: string, content: string): void {
    mkdirSync(this.dir(id), { recursive: true });
    writeAtomic(join(this.dir(id), file), content);
  }

  exists(id: string, file: string): boolean {
    return existsSync(join(this.dir(id), file));
  }
}

function writeAtomic(path: string, content: string): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}

/** Kernel start time of a process (clock ticks since boot), to tell a live job from a recycled pid. */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}
