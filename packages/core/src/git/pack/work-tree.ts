import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { GitProgressEvent } from 'isomorphic-git';
import type { IndexEntry } from './index-file';
import type { PackFile } from './pack-file';
import { PackFormatError, type ObjectType } from './pack-format';
import { parseTree } from './tree-object';
import { writeBlob } from './write-file';

/** Writes in flight at once: file creation waits on the disk, not the CPU. */
const PARALLEL_WRITES = 16;

interface Wanted {
  path: string;
  mode: number;
  oid: Buffer;
}

/**
 * Writes the files of commit `tip` into `dir` (which holds only `.git`) and
 * collects the index entries with each file's stat. While the pack arrives,
 * `take` is given every whole object: the tip's commit and the trees under it
 * are read as they come, and a blob whose path is known by then is written
 * at once, from memory (upload-pack sends a tree just before its blobs).
 * `finish` then writes what was not, reading objects from the pack: blobs
 * that came as deltas or before their tree. Tree entry names that could
 * escape the work tree or touch `.git` are refused, as git's fsck refuses them.
 */
export class WorkTreeWriter {
  private readonly entries: IndexEntry[] = [];
  /** Paths already written (or being written). */
  private readonly done = new Set<string>();
  private readonly dirs = new Map<string, Promise<void>>([['', Promise.resolve()]]);
  private rootTree: string | null = null;
  /** Trees under the tip not seen yet: their path prefixes. */
  private readonly trees = new Map<string, string[]>();
  /** Blobs under the tip not seen yet. */
  private readonly blobs = new Map<string, Wanted[]>();
  private readonly writing = new Set<Promise<void>>();
  private failure: Error | null = null;
  private written = 0;
  /** Files in the tip's tree, once `finish` has walked it (0 before: not known yet). */
  private total = 0;

  constructor(
    private readonly dir: string,
    private readonly tip: string,
    private readonly onProgress?: (event: GitProgressEvent) => void,
  ) {}

  /** A whole object of the pack, as it arrives (deltas are not given). Writes are started, not awaited. */
  take(type: ObjectType, oid: string, data: Buffer): void {
    if (this.failure !== null) return;
    if (type === 'commit' && oid === this.tip) {
      this.rootTree = treeOf(data, oid);
      this.trees.set(this.rootTree, ['']);
    } else if (type === 'tree') {
      const prefixes = this.trees.get(oid);
      if (!prefixes) return;
      this.trees.delete(oid);
      for (const prefix of prefixes) this.addTree(data, oid, prefix, true);
    } else if (type === 'blob') {
      const wanted = this.blobs.get(oid);
      if (!wanted) return;
      this.blobs.delete(oid);
      for (const blob of wanted) this.write(blob, data);
    }
  }

  /** Resolves when fewer than PARALLEL_WRITES files are being written (the receiver waits on it). */
  async ready(): Promise<void> {
    while (this.writing.size >= PARALLEL_WRITES) await Promise.race(this.writing);
    if (this.failure !== null) throw this.failure;
  }

  /** Waits for the writes in flight (after a failure elsewhere, before the directory is removed). */
  async settle(): Promise<void> {
    await Promise.all(
      [...this.writing, ...this.dirs.values()].map((p) => p.catch(() => undefined)),
    );
  }

  /** Writes every file not written yet, reading from `pack`, and returns the index entries. */
  async finish(
    pack: PackFile,
    offsetOf: (oid: string) => number | undefined,
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
    const root = this.rootTree ?? treeOf(await read(this.tip, 'commit'), this.tip);
    // The whole tree again (trees are small): what `take` already wrote is skipped.
    this.trees.clear();
    this.blobs.clear();
    const walk = async (oid: string, prefix: string): Promise<void> => {
      for (const sub of this.addTree(await read(oid, 'tree'), oid, prefix, false))
        await walk(sub.oid, sub.prefix);
    };
    await walk(root, '');
    this.total =
      this.written +
      this.writing.size +
      [...this.blobs.values()].reduce((n, wanted) => n + wanted.length, 0);
    // In pack order, so reads go forward through the file's window instead of jumping about.
    const inPackOrder = [...this.blobs.keys()]
      .map((oid) => ({ oid, offset: offsetOf(oid) ?? -1 }))
      .sort((a, b) => a.offset - b.offset);
    for (const { oid } of inPackOrder) {
      const data = await read(oid, 'blob');
      for (const blob of this.blobs.get(oid) ?? []) this.write(blob, data);
      await this.ready();
    }
    await Promise.all(this.writing);
    if (this.failure !== null) throw this.failure;
    return this.entries;
  }

  /**
   * Registers the entries of the tree at `prefix`: directories are created,
   * blobs not written yet become wanted. Subtrees are wanted too (`early`),
   * or returned for the caller to walk.
   */
  private addTree(
    data: Buffer,
    oid: string,
    prefix: string,
    early: boolean,
  ): { oid: string; prefix: string }[] {
    const subtrees: { oid: string; prefix: string }[] = [];
    for (const item of parseTree(data, oid)) {
      const path = prefix + item.name;
      const id = item.oid.toString('hex');
      if (item.mode === 0o40000) {
        this.makeDir(path, prefix);
        if (early) this.trees.set(id, [...(this.trees.get(id) ?? []), `${path}/`]);
        else subtrees.push({ oid: id, prefix: `${path}/` });
      } else if (item.mode === 0o160000) {
        this.makeDir(path, prefix);
        if (!this.done.has(path)) {
          this.done.add(path);
          this.entries.push({ path, mode: item.mode, oid: item.oid, stat: null });
        }
      } else if (!this.done.has(path)) {
        this.blobs.set(id, [
          ...(this.blobs.get(id) ?? []),
          { path, mode: item.mode, oid: item.oid },
        ]);
      }
    }
    return subtrees;
  }

  /** Creates `path` once its parent exists; files inside wait for it. */
  private makeDir(path: string, prefix: string): void {
    if (this.dirs.has(path)) return;
    const parent = this.dirs.get(prefix.replace(/\/$/, '')) ?? Promise.resolve();
    const made = parent.then(() => mkdir(join(this.dir, path)));
    made.catch((error: unknown) => this.fail(error));
    this.dirs.set(path, made);
  }

  /** The first failure wins; later writes are not started. */
  private fail(error: unknown): void {
    this.failure ??= error instanceof Error ? error : new Error(String(error));
  }

  private write(blob: Wanted, data: Buffer): void {
    if (this.failure !== null || this.done.has(blob.path)) return;
    this.done.add(blob.path);
    const slash = blob.path.lastIndexOf('/');
    const parent = this.dirs.get(slash < 0 ? '' : blob.path.slice(0, slash)) ?? Promise.resolve();
    const job = parent
      .then(() => writeBlob(join(this.dir, blob.path), blob.mode, data))
      .then(
        (stat) => {
          this.entries.push({ ...blob, stat });
          this.onProgress?.({
            phase: 'Updating workdir',
            loaded: ++this.written,
            total: this.total,
          });
        },
        (error: unknown) => this.fail(error),
      )
      .finally(() => this.writing.delete(job));
    this.writing.add(job);
  }
}

function treeOf(commit: Buffer, oid: string): string {
  const tree = /^tree ([0-9a-f]{40})\n/.exec(commit.toString('latin1', 0, 64))?.[1];
  if (!tree) throw new PackFormatError(`commit ${oid} names no tree`);
  return tree;
}
