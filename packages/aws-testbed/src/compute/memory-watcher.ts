import { readdirSync, readFileSync } from 'node:fs';

const PAGE_BYTES = 4096;

interface Watch {
  limitBytes: number;
  onExceeded: (rssBytes: number) => void;
}

/**
 * One /proc scan a few times a second for all watched process groups: sums
 * the resident set of every process in a group (the job's process tree,
 * since each job runs in its own group) and reports a group once when it
 * goes above its limit.
 */
export class MemoryWatcher {
  private watches = new Map<number, Watch>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly intervalMs = 100) {}

  /** Returns the function that stops watching. */
  watch(pgid: number, limitBytes: number, onExceeded: (rssBytes: number) => void): () => void {
    this.watches.set(pgid, { limitBytes, onExceeded });
    this.timer ??= setInterval(() => this.scan(), this.intervalMs);
    return () => {
      this.watches.delete(pgid);
      if (this.watches.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = null;
      }
    };
  }

  close(): void {
    this.watches.clear();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private scan(): void {
    const rssByGroup = new Map<number, number>();
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      const stat = readStat(name);
      if (!stat || !this.watches.has(stat.pgrp)) continue;
      rssByGroup.set(stat.pgrp, (rssByGroup.get(stat.pgrp) ?? 0) + stat.rssBytes);
    }
    for (const [pgid, rss] of rssByGroup) {
      const w = this.watches.get(pgid);
      if (w && rss > w.limitBytes) {
        this.watches.delete(pgid);
        w.onExceeded(rss);
      }
    }
  }
}

function readStat(pid: string): { pgrp: number; rssBytes: number } | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null; // exited between readdir and read
  }
  // Fields after the parenthesised command name: state ppid pgrp ... rss is field 24 (1-based).
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const pgrp = Number(fields[2]);
  const rssPages = Number(fields[21]);
  if (!Number.isFinite(pgrp) || !Number.isFinite(rssPages)) return null;
  return { pgrp, rssBytes: rssPages * PAGE_BYTES };
}
