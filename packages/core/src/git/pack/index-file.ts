import { createHash } from 'node:crypto';
import type { BigIntStats } from 'node:fs';

/** The stat fields the index records (of BigIntStats: it alone carries nanoseconds). */
export type IndexStat = Pick<
  BigIntStats,
  'ctimeNs' | 'mtimeNs' | 'dev' | 'ino' | 'uid' | 'gid' | 'size'
>;

/** Only the fields the index needs, so 5,000 entries do not keep 5,000 whole stat objects. */
export const indexStat = (s: BigIntStats): IndexStat => ({
  ctimeNs: s.ctimeNs,
  mtimeNs: s.mtimeNs,
  dev: s.dev,
  ino: s.ino,
  uid: s.uid,
  gid: s.gid,
  size: s.size,
});

export interface IndexEntry {
  /** Path in the work tree, `/`-separated. */
  path: string;
  /** 0o100644, 0o100755, 0o120000 or 0o160000. */
  mode: number;
  oid: Buffer;
  /** The written file's stat; null for a submodule (nothing is written). */
  stat: IndexStat | null;
}

const NS_PER_S = 1_000_000_000n;
const u32 = (value: bigint): number => Number(BigInt.asUintN(32, value));

/**
 * Git's index file, version 2 (gitformat-index): "DIRC", version, entry count,
 * entries sorted by path bytes (stat fields, mode, object id, flags with the
 * path length, path, NUL padding to a multiple of 8), then the SHA-1 of it all.
 * With the stat of each written file, git and isomorphic-git see a clean tree
 * without hashing the files again.
 */
export function encodeIndex(entries: readonly IndexEntry[]): Buffer {
  const named = entries
    .map((entry) => ({ entry, name: Buffer.from(entry.path, 'utf8') }))
    .sort((a, b) => Buffer.compare(a.name, b.name));
  const parts: Buffer[] = [];
  const header = Buffer.alloc(12);
  header.write('DIRC', 0, 'latin1');
  header.writeUInt32BE(2, 4);
  header.writeUInt32BE(named.length, 8);
  parts.push(header);
  for (const { entry, name } of named) {
    const length = Math.ceil((62 + name.length + 1) / 8) * 8;
    const out = Buffer.alloc(length);
    const s = entry.stat;
    if (s) {
      out.writeUInt32BE(u32(s.ctimeNs / NS_PER_S), 0);
      out.writeUInt32BE(u32(s.ctimeNs % NS_PER_S), 4);
      out.writeUInt32BE(u32(s.mtimeNs / NS_PER_S), 8);
      out.writeUInt32BE(u32(s.mtimeNs % NS_PER_S), 12);
      out.writeUInt32BE(u32(s.dev), 16);
      out.writeUInt32BE(u32(s.ino), 20);
      out.writeUInt32BE(u32(s.uid), 28);
      out.writeUInt32BE(u32(s.gid), 32);
      out.writeUInt32BE(u32(s.size), 36);
    }
    out.writeUInt32BE(entry.mode, 24);
    entry.oid.copy(out, 40);
    out.writeUInt16BE(Math.min(name.length, 0xfff), 60);
    name.copy(out, 62);
    parts.push(out);
  }
  const body = Buffer.concat(parts);
  return Buffer.concat([body, createHash('sha1').update(body).digest()]);
}
