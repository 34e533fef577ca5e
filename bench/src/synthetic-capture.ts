/**
 * Builds large squeue/sacct outputs from real captures: records are copied
 * verbatim and only their job ids are renumbered, so every copy is a distinct
 * job while field contents, lengths and states stay those Slurm printed.
 */

export interface Capture {
  separator: string;
  /** Each record's fields, as Slurm printed them. */
  records: string[][];
}

/** Reads `<sep>\n(<field><sep>)*\n…` (the squeueCommand/sacctCommand shape) with plain splits. */
export function splitCapture(stdout: string): Capture {
  const newline = stdout.indexOf('\n');
  const separator = stdout.slice(0, newline);
  const body = stdout.slice(newline + 1);
  if (body === '') return { separator, records: [] };
  const chunks = body.split(`${separator}\n`);
  chunks.pop();
  return { separator, records: chunks.map((chunk) => chunk.split(separator)) };
}

/** The inverse of splitCapture: the bytes squeueCommand/sacctCommand would print. */
export function renderCapture(separator: string, records: readonly (readonly string[])[]): string {
  const parts = [`${separator}\n`];
  for (const record of records) parts.push(`${record.join(separator)}${separator}\n`);
  return parts.join('');
}

/** `123_4.batch` + 5 000 000 -> `5000123_4.batch`: only the leading number changes. */
export function shiftJobId(id: string, offset: number): string {
  return id.replace(/^\d+/, (digits) => String(Number(digits) + offset));
}

/** Leading number of a job id, the key that keeps a job's rows together. */
export const baseJobId = (id: string): string => /^\d+/.exec(id)?.[0] ?? id;

/** Offset between copies: larger than any id the testbed hands out during a run. */
export const COPY_OFFSET = 1_000_000;

/**
 * `count` squeue records: the captured ones again and again, copy k with its
 * JobArrayID (field 0) shifted by k * COPY_OFFSET.
 */
export function replicateSqueue(records: readonly string[][], count: number): string[][] {
  if (records.length === 0) throw new Error('the squeue capture has no records');
  const out: string[][] = [];
  for (let i = 0; i < count; i++) {
    const source = records[i % records.length]!;
    const copy = Math.floor(i / records.length);
    out.push([shiftJobId(source[0] ?? '', copy * COPY_OFFSET), ...source.slice(1)]);
  }
  return out;
}

/**
 * sacct rows for `jobs` jobs (allocation rows), each copied with all its
 * step rows. JobID is field 0 and JobIDRaw field 1 in SACCT_FIELDS.
 */
export function replicateSacct(records: readonly string[][], jobs: number): string[][] {
  const groups = new Map<string, string[][]>();
  for (const record of records) {
    const key = baseJobId(record[0] ?? '');
    groups.set(key, [...(groups.get(key) ?? []), record]);
  }
  const list = [...groups.values()];
  if (list.length === 0) throw new Error('the sacct capture has no records');
  const out: string[][] = [];
  let allocations = 0;
  for (let i = 0; allocations < jobs; i++) {
    const copy = Math.floor(i / list.length);
    for (const row of list[i % list.length]!) {
      const isAllocation = !(row[0] ?? '').includes('.');
      if (isAllocation && allocations === jobs) continue;
      if (isAllocation) allocations++;
      out.push([
        shiftJobId(row[0] ?? '', copy * COPY_OFFSET),
        shiftJobId(row[1] ?? '', copy * COPY_OFFSET),
        ...row.slice(2),
      ]);
    }
  }
  return out;
}
