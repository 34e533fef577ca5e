import { close, fstat, open, write, type BigIntStats } from 'node:fs';
import { lstat, mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { GitProgressEvent } from 'isomorphic-git';
import { indexStat, type IndexEntry } from './index-file';
import type { PackFile } from './pack-file';
import { PackFormatError, type ObjectType } from './pack-format';

interface Blob {
  path: string;
  mode: number;
  oid: Buffer;
}

/** Writes in flight at once: file creation waits on the disk, not the CPU. */
const PARALLEL_WRITES = 16;

/**
 * Writes the files of `commit` into `dir` (which holds only `.git`), reading
 * objects from the pack one at a time, and returns the index entries with
 * each file's stat. Tree entry names that could escape the work tree or touch
 * `.git` are refused, as git's fsck refuses them.
 */
export async function writeWorkTree(
  pack: PackFile,
  offsetOf: (oid: string) => number | undefined,
  commit: string,
  dir: string,
  onProgress?: (event: GitProgressEvent) => void,
): Promise<IndexEntry[]> {
  const read = async (oid: string, type: ObjectType): Promise<Buffer> => {
    const offset = offsetOf(oid);
    if (offset === undefined)
      throw new PackFormatError(`object ${oid} is missing from the fetched pack`);
    const object = await pack.object(offset);
    if (object.type !== type)
      throw new PackFormatError(`object ${oid} is a ${object.type}, expected a ${type}`);
    return object.data;
  };
  const commitText = (await read(commit, 'commit')).toString('utf8');
  const tree = /^tree ([0-9a-f]{40})\n/.exec(commitText)?.[1];
  if (!tree) throw new PackFormatError(`commit ${commit} names no tree`);

  const blobs: Blob[] = [];
  const entries: IndexEntry[] = [];
  const walk = async (oid: string, prefix: string): Promise<void> => {
    for (const item of parseTree(await read(oid, 'tree'), oid)) {
      const path = prefix + item.name;
      if (item.mode === 0o40000) {
        await mkdir(join(dir, path));
        await walk(item.oid.toString('hex'), `${path}/`);
      } else if (item.mode === 0o160000) {
        await mkdir(join(dir, path));
        entries.push({ path, mode: item.mode, oid: item.oid, stat: null });
      } else {
        blobs.push({ path, mode: item.mode, oid: item.oid });
      }
    }
  };
  await walk(tree, '');

  // In pack order, so reads go forward through the file's window instead of jumping about.
  const inPackOrder = blobs
    .map((blob) => ({ blob, offset: offsetOf(blob.oid.toString('hex')) ?? -1 }))
    .sort((a, b) => a.offset - b.offset);
  const writing = new Set<Promise<void>>();
  let written = 0;
  for (const { blob } of inPackOrder) {
    const data = await read(blob.oid.toString('hex'), 'blob');
    const job = writeBlob(join(dir, blob.path), blob.mode, data).then((stat) => {
      entries.push({ ...blob, stat });
      writing.delete(job);
      onProgress?.({ phase: 'Updating workdir', loaded: ++written, total: blobs.length });
    });
    writing.add(job);
    if (writing.size >= PARALLEL_WRITES) await Promise.race(writing);
  }
  await Promise.all(writing);
  return entries;
}

async function writeBlob(path: string, mode: number, data: Buffer): Promise<IndexEntry['stat']> {
  if (mode === 0o120000) {
    await symlink(data.toString('utf8'), path);
    return indexStat(await lstat(path, { bigint: true }));
  }
  return indexStat(await writeNewFile(path, data, mode === 0o100755 ? 0o755 : 0o644));
}

/**
 * Creates `path` (which must not exist) with `data` and returns its stat. The
 * callback API: fs/promises' FileHandle costs about three times as much per
 * small file, and a clone writes thousands.
 */
function writeNewFile(path: string, data: Buffer, mode: number): Promise<BigIntStats> {
  return new Promise((resolve, reject) => {
    open(path, 'wx', mode, (openError, fd) => {
      if (openError) return reject(openError);
      const done = (error: Error | null, stat?: BigIntStats): void =>
        close(fd, (closeError) => {
          const failure = error ?? closeError;
          if (failure) reject(failure);
          else if (stat) resolve(stat);
        });
      const writeFrom = (offset: number): void => {
        if (offset >= data.length) {
          fstat(fd, { bigint: true }, (statError, stat) => done(statError, stat));
          return;
        }
        write(fd, data, offset, data.length - offset, null, (writeError, written) => {
          if (writeError) done(writeError);
          else writeFrom(offset + written);
        });
      };
      writeFrom(0);
    });
  });
}

interface TreeItem {
  mode: number;
  name: string;
  oid: Buffer;
}

/** Entries of a tree object: `<octal mode> <name>\0<20-byte id>`, repeated. */
export function parseTree(data: Buffer, oid: string): TreeItem[] {
  const items: TreeItem[] = [];
  let i = 0;
  while (i < data.length) {
    const space = data.indexOf(0x20, i);
    const nul = data.indexOf(0, space + 1);
    if (space < 0 || nul < 0 || nul + 21 > data.length)
      throw new PackFormatError(`tree ${oid} is malformed`);
    const mode = parseInt(data.toString('latin1', i, space), 8);
    const name = data.toString('utf8', space + 1, nul);
    if (!isSafeName(name))
      throw new PackFormatError(`tree ${oid} has an unsafe entry name ${JSON.stringify(name)}`);
    if (![0o40000, 0o100644, 0o100755, 0o120000, 0o160000].includes(mode))
      throw new PackFormatError(`tree ${oid} has an entry of unknown mode ${mode.toString(8)}`);
    items.push({ mode, name, oid: data.subarray(nul + 1, nul + 21) });
    i = nul + 21;
  }
  return items;
}

const isSafeName = (name: string): boolean =>
  name !== '' &&
  name !== '.' &&
  name !== '..' &&
  name.toLowerCase() !== '.git' &&
  !name.includes('/') &&
  !name.includes('\\');
