import { createHash } from 'node:crypto';

/**
 * Git's pack format (gitformat-pack): object entries are a type-and-size
 * header, then for deltas the base (a negative offset or an object id), then
 * one zlib stream. Only what cloning needs: reading, not writing, packs.
 */

export type ObjectType = 'commit' | 'tree' | 'blob' | 'tag';

const TYPE_BY_CODE: Record<number, ObjectType | 'ofs-delta' | 'ref-delta'> = {
  1: 'commit',
  2: 'tree',
  3: 'blob',
  4: 'tag',
  6: 'ofs-delta',
  7: 'ref-delta',
};

export class PackFormatError extends Error {
  override readonly name = 'PackFormatError';
}

/** A delta names a base object the pack does not hold (yet: a ref-delta's base may come later). */
export class MissingBaseError extends PackFormatError {}

export interface EntryHeader {
  kind: ObjectType | 'ofs-delta' | 'ref-delta';
  /** Inflated size of the entry's data (for deltas: of the delta, not of the object). */
  size: number;
  /** Offset of the base object (ofs-delta only). */
  baseOffset: number | null;
  /** Base object id, hex (ref-delta only). */
  baseOid: string | null;
  /** Bytes from the entry's start to its zlib stream. */
  headerLength: number;
}

/** The header of the entry starting at `buf[at]`, which sits at `offset` in the pack; null when `buf` ends too soon. */
export function parseEntryHeader(buf: Buffer, at: number, offset: number): EntryHeader | null {
  let i = at;
  if (i >= buf.length) return null;
  let byte = buf[i++] ?? 0;
  const kind = TYPE_BY_CODE[(byte >> 4) & 7];
  if (kind === undefined)
    throw new PackFormatError(`invalid object type ${(byte >> 4) & 7} at offset ${offset}`);
  let size = byte & 0x0f;
  let shift = 4;
  while (byte & 0x80) {
    if (i >= buf.length) return null;
    byte = buf[i++] ?? 0;
    size += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  }
  let baseOffset: number | null = null;
  let baseOid: string | null = null;
  if (kind === 'ofs-delta') {
    if (i >= buf.length) return null;
    byte = buf[i++] ?? 0;
    let distance = byte & 0x7f;
    while (byte & 0x80) {
      if (i >= buf.length) return null;
      byte = buf[i++] ?? 0;
      distance = (distance + 1) * 128 + (byte & 0x7f);
    }
    baseOffset = offset - distance;
    if (baseOffset < 12 || distance === 0)
      throw new PackFormatError(`delta at offset ${offset} points outside the pack`);
  } else if (kind === 'ref-delta') {
    if (i + 20 > buf.length) return null;
    baseOid = buf.toString('hex', i, i + 20);
    i += 20;
  }
  return { kind, size, baseOffset, baseOid, headerLength: i - at };
}

/** Object count from the 12-byte pack header. */
export function parsePackHeader(buf: Buffer): number {
  if (buf.length < 12 || buf.toString('latin1', 0, 4) !== 'PACK')
    throw new PackFormatError('not a pack file (no PACK signature)');
  const version = buf.readUInt32BE(4);
  if (version !== 2 && version !== 3)
    throw new PackFormatError(`unsupported pack version ${version}`);
  return buf.readUInt32BE(8);
}

/** Git's object id: SHA-1 of `<type> <size>\0` and the content. */
export function objectId(type: ObjectType, data: Buffer): Buffer {
  return createHash('sha1').update(`${type} ${data.length}\0`).update(data).digest();
}

/** Applies a delta (base size, result size, then copy and insert instructions) to `base`. */
export function applyDelta(base: Buffer, delta: Buffer): Buffer {
  let i = 0;
  const varint = (): number => {
    let value = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = delta[i++] ?? 0;
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80 && i < delta.length);
    return value;
  };
  const baseSize = varint();
  if (baseSize !== base.length)
    throw new PackFormatError(`delta expects a base of ${baseSize} bytes, got ${base.length}`);
  const result = Buffer.allocUnsafe(varint());
  let out = 0;
  while (i < delta.length) {
    const op = delta[i++] ?? 0;
    if (op & 0x80) {
      let copyOffset = 0;
      let copySize = 0;
      for (let bit = 0; bit < 4; bit++)
        if (op & (1 << bit)) copyOffset += (delta[i++] ?? 0) * 2 ** (8 * bit);
      for (let bit = 0; bit < 3; bit++)
        if (op & (0x10 << bit)) copySize += (delta[i++] ?? 0) << (8 * bit);
      if (copySize === 0) copySize = 0x10000;
      if (copyOffset + copySize > base.length || out + copySize > result.length)
        throw new PackFormatError('delta copies outside its base or result');
      out += base.copy(result, out, copyOffset, copyOffset + copySize);
    } else if (op !== 0) {
      if (i + op > delta.length || out + op > result.length)
        throw new PackFormatError('delta inserts past its end');
      out += delta.copy(result, out, i, i + op);
      i += op;
    } else {
      throw new PackFormatError('delta has a reserved instruction 0');
    }
  }
  if (out !== result.length) throw new PackFormatError('delta result is shorter than announced');
  return result;
}
