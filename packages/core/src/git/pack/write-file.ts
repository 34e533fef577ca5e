import { close, fstat, open, write, type BigIntStats } from 'node:fs';
import { lstat, symlink } from 'node:fs/promises';
import { indexStat, type IndexStat } from './index-file';

/** Writes a blob as a new file (or a symlink for mode 120000) and returns the stat the index records. */
export async function writeBlob(path: string, mode: number, data: Buffer): Promise<IndexStat> {
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
