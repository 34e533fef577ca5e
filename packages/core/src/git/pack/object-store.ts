import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { PackFile, type PackObject } from './pack-file';
import { PackFormatError, type ObjectType } from './pack-format';

/**
 * Reads one object from a repository's loose objects or pack files, without
 * loading whole packs into memory (isomorphic-git does): the .idx is searched,
 * and only the entry (and its delta bases) are read from the pack.
 */
export async function readObject(gitdir: string, oid: string): Promise<PackObject> {
  const loose = await readFile(join(gitdir, 'objects', oid.slice(0, 2), oid.slice(2))).catch(
    (error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    },
  );
  if (loose) return parseLoose(inflateSync(loose), oid);
  const packDir = join(gitdir, 'objects', 'pack');
  const names = await readdir(packDir).catch(() => [] as string[]);
  for (const name of names.filter((n) => n.endsWith('.idx'))) {
    const idx = await readFile(join(packDir, name));
    const offsetOf = (id: string): number | undefined => findOffset(idx, id);
    const offset = offsetOf(oid);
    if (offset === undefined) continue;
    const pack = await PackFile.open(join(packDir, name.replace(/\.idx$/, '.pack')), offsetOf);
    try {
      return await pack.object(offset);
    } finally {
      await pack.close();
    }
  }
  throw new PackFormatError(`object ${oid} is not in ${gitdir}`);
}

/** Is `oid` in the repository (loose, or in a pack's .idx)? Reads no object. */
export async function hasObject(gitdir: string, oid: string): Promise<boolean> {
  const loose = join(gitdir, 'objects', oid.slice(0, 2), oid.slice(2));
  if (
    await stat(loose).then(
      () => true,
      () => false,
    )
  )
    return true;
  const packDir = join(gitdir, 'objects', 'pack');
  const names = await readdir(packDir).catch(() => [] as string[]);
  for (const name of names.filter((n) => n.endsWith('.idx')))
    if (findOffset(await readFile(join(packDir, name)), oid) !== undefined) return true;
  return false;
}

function parseLoose(data: Buffer, oid: string): PackObject {
  const nul = data.indexOf(0);
  const [type] = data.toString('latin1', 0, Math.max(nul, 0)).split(' ');
  if (nul < 0 || !['commit', 'tree', 'blob', 'tag'].includes(type ?? ''))
    throw new PackFormatError(`loose object ${oid} is malformed`);
  return { type: type as ObjectType, data: data.subarray(nul + 1) };
}

/** Offset of `oid` in a version-2 .idx, by binary search between its fanout bounds. */
export function findOffset(idx: Buffer, oid: string): number | undefined {
  if (idx.readUInt32BE(0) !== 0xff744f63 || idx.readUInt32BE(4) !== 2)
    throw new PackFormatError('not a version 2 pack index');
  const target = Buffer.from(oid, 'hex');
  const first = target[0] ?? 0;
  const n = idx.readUInt32BE(8 + 255 * 4);
  let lo = first === 0 ? 0 : idx.readUInt32BE(8 + (first - 1) * 4);
  let hi = idx.readUInt32BE(8 + first * 4);
  const names = 8 + 256 * 4;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const cmp = target.compare(idx, names + mid * 20, names + mid * 20 + 20);
    if (cmp === 0) {
      const small = idx.readUInt32BE(names + n * 24 + mid * 4);
      if (!(small & 0x80000000)) return small;
      return Number(idx.readBigUInt64BE(names + n * 28 + (small & 0x7fffffff) * 8));
    }
    if (cmp < 0) hi = mid;
    else lo = mid + 1;
  }
  return undefined;
}
