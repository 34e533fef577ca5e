import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { PackFile } from './pack-file';
import { MissingBaseError, objectId, PackFormatError, parsePackHeader } from './pack-format';

export interface IndexedObject {
  oid: Buffer;
  offset: number;
  /** CRC32 of the entry's bytes in the pack (header and zlib stream), as the .idx records it. */
  crc: number;
}

export interface IndexedPack {
  objects: IndexedObject[];
  /** The pack's trailing SHA-1 (of everything before it), checked. */
  checksum: Buffer;
}

const HEADER_BYTES = 12;
const TRAILER_BYTES = 20;

/**
 * Reads every entry of the pack at `path` once, in order: checks the trailing
 * checksum, records offsets and CRC32s, and computes every object's id. Deltas
 * are resolved afterwards, in pack order, against bases read back from the file
 * (PackFile's bounded cache), so memory does not grow with the pack. A delta
 * whose base is not in the pack (a thin pack) is an error.
 */
export async function indexPack(path: string): Promise<IndexedPack> {
  const byOid = new Map<string, number>();
  const pack = await PackFile.open(path, (oid) => byOid.get(oid));
  try {
    const head = Buffer.from(await pack.bytes(0, HEADER_BYTES));
    const count = parsePackHeader(head);
    const dataEnd = pack.size - TRAILER_BYTES;
    const hash = createHash('sha1').update(head);
    const objects: IndexedObject[] = [];
    const deltas: IndexedObject[] = [];
    let offset = HEADER_BYTES;
    for (let i = 0; i < count; i++) {
      if (offset >= dataEnd)
        throw new PackFormatError(`the pack ends after ${i} of its ${count} objects`);
      const { header, data, end } = await pack.entry(offset);
      const raw = await pack.bytes(offset, end - offset);
      hash.update(raw);
      const entry: IndexedObject = { oid: Buffer.alloc(0), offset, crc: crc32(raw) };
      objects.push(entry);
      if (header.kind === 'ofs-delta' || header.kind === 'ref-delta') {
        deltas.push(entry);
      } else {
        entry.oid = objectId(header.kind, data);
        byOid.set(entry.oid.toString('hex'), offset);
      }
      offset = end;
    }
    if (offset !== dataEnd)
      throw new PackFormatError(`${dataEnd - offset} unexpected bytes after the last object`);
    const checksum = Buffer.from(await pack.bytes(dataEnd, TRAILER_BYTES));
    if (!hash.digest().equals(checksum))
      throw new PackFormatError('the pack checksum does not match its content');
    await resolveDeltas(pack, deltas, byOid);
    return { objects, checksum };
  } finally {
    await pack.close();
  }
}

/** Ref-deltas may name a base that comes later in the pack; those wait for another round. */
async function resolveDeltas(
  pack: PackFile,
  deltas: IndexedObject[],
  byOid: Map<string, number>,
): Promise<void> {
  let pending = deltas;
  while (pending.length > 0) {
    const waiting: IndexedObject[] = [];
    for (const entry of pending) {
      let object;
      try {
        object = await pack.object(entry.offset);
      } catch (error) {
        if (error instanceof MissingBaseError) {
          waiting.push(entry);
          continue;
        }
        throw error;
      }
      entry.oid = objectId(object.type, object.data);
      byOid.set(entry.oid.toString('hex'), entry.offset);
    }
    if (waiting.length === pending.length) {
      throw new PackFormatError(
        `${waiting.length} deltas have bases that are not in the pack (a thin pack cannot be indexed alone)`,
      );
    }
    pending = waiting;
  }
}
