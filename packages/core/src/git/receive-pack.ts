import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GitProgressEvent } from 'isomorphic-git';
import type { Advertisement } from './pkt-line';
import { encodeIdx } from './pack/idx-file';
import { fetchPack, type PackRemote } from './pack/fetch-pack';
import { completeIndex } from './pack/pack-index';
import type { ObjectSink } from './pack/pack-receiver';

export interface StoredPack {
  /** `.git/objects/pack/pack-<checksum>.pack`. */
  path: string;
  /** Offset of an object in it, by id (undefined: not in this pack). */
  offsetOf: (oid: string) => number | undefined;
}

export interface ReceiveOptions {
  /** Commits the repository has: the server leaves out what they reach. Empty for a clone. */
  haves: readonly string[];
  sink: ObjectSink | null;
  onProgress?: ((event: GitProgressEvent) => void) | undefined;
}

/**
 * Fetches what `want` needs into `gitdir`'s pack directory: streamed to a
 * temporary file, indexed on the way, then its .idx written and the pack
 * renamed to its final name, so a reader never sees a pack without an index.
 * A failure leaves nothing behind.
 */
export async function receivePack(
  gitdir: string,
  remote: PackRemote,
  advertisement: Advertisement,
  want: string,
  options: ReceiveOptions,
): Promise<StoredPack> {
  const packDir = join(gitdir, 'objects', 'pack');
  const incoming = join(packDir, `tmp_pack_${randomBytes(4).toString('hex')}`);
  try {
    const received = await fetchPack(remote, advertisement, want, incoming, options);
    const indexed = await completeIndex(incoming, received);
    const name = join(packDir, `pack-${indexed.checksum.toString('hex')}`);
    await writeFile(`${name}.idx`, encodeIdx(indexed));
    await rename(incoming, `${name}.pack`);
    const offsets = new Map(indexed.objects.map((o) => [o.oid.toString('hex'), o.offset]));
    return { path: `${name}.pack`, offsetOf: (oid) => offsets.get(oid) };
  } finally {
    await rm(incoming, { force: true });
  }
}
