import type { ServiceId } from '../model/botocore-models';

export interface RequestLogEntry {
  seq: number;
  atMs: number;
  service: ServiceId;
  operation: string;
  accessKeyId: string | null;
  /** HTTP status answered; `null` when the connection was dropped on purpose. */
  status: number | null;
  errorCode?: string;
  input: unknown;
}

/** Every AWS call received, in arrival order, including throttled and refused ones. */
export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private seq = 0;

  record(entry: Omit<RequestLogEntry, 'seq'>): void {
    this.entries.push({ seq: ++this.seq, ...entry });
  }

  list(): RequestLogEntry[] {
    return [...this.entries];
  }

  /** Calls per `service:Operation`, e.g. `{ 'batch:ListJobs': 5 }`. */
  counts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const e of this.entries) {
      const key = `${e.service}:${e.operation}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
  }

  reset(): void {
    this.entries = [];
  }
}
