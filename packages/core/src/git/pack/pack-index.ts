import { createHash, type Hash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { PackFile } from './pack-file';
import { MissingBaseError, objectId, PackFormatError, parsePackHeader } from './pack-format';
import type { ReceivedPack } from './pack-receiver';

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
  const state: ReceivedPack = {
    count: 0,
    objects: [],
    deltas: [],
    byOid: new Map(),
    next: { offset: HEADER_BYTES, index: 0 },
    checksum: Buffer.alloc(0),
  };
  const pack = await PackFile.open(path, (oid) => state.byOid.get(oid));
  try {
    const head = Buffer.from(await pack.bytes(0, HEADER_BYTES));
    state.count = parsePackHeader(head);
    const hash = createHash('sha1').update(head);
    await scanEntries(pack, state, hash);
    const checksum = Buffer.from(await pack.bytes(pack.size - TRAILER_BYTES, TRAILER_BYTES));
    if (!hash.digest().equals(checksum))
      throw new PackFormatError('the pack checksum does not match its content');
    await resolveDeltas(pack, state.deltas, state.byOid);
    return { objects: state.objects, checksum };
  } finally {
    await pack.close();
  }
}

/**
 * Completes what a PackReceiver indexed while the pack arrived (its checksum
 * already checked): entries it left are read from the file at `path`, then
 * every delta is resolved as indexPack does.
 */
export async function completeIndex(path: string, received: ReceivedPack): Promise<IndexedPack> {
  const pack = await PackFile.open(path, (oid) => received.byOid.get(oid));
  try {
    await scanEntries(pack, received, null);
    await resolveDeltas(pack, received.deltas, received.byOid);
    return { objects: received.objects, checksum: received.checksum };
  } finally {
    await pack.close();
  }
}

/** Indexes the entries from `state.next` to the last; `hash` (when given) takes their raw bytes. */
async function scanEntries(pack: PackFile, state: ReceivedPack, hash: Hash | null): Promise<void> {
  const dataEnd = pack.size - TRAILER_BYTES;
  let { offset, index } = state.next;
  for (; index < state.count; index++) {
    if (offset >= dataEnd)
      throw new PackFormatError(`the pack ends after ${index} of its ${state.count} objects`);
    const { header, data, end } = await pack.entry(offset);
    const raw = await pack.bytes(offset, end - offset);
    hash?.update(raw);
    const entry: IndexedObject = { oid: Buffer.alloc(0), offset, crc: crc32(raw) };
    state.objects.push(entry);
    if (header.kind === 'ofs-delta' || header.kind === 'ref-delta') {
      state.deltas.push(entry);
    } else {
      entry.oid = objectId(header.kind, data);
      state.byOid.set(entry.oid.toString('hex'), offset);
    }
    offset = end;
  }
  state.next = { offset, index };
  if (offset !== dataEnd)
    throw new PackFormatError(`${dataEnd - offset} unexpected bytes after the last object`);
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
