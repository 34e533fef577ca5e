import { createHash } from 'node:crypto';
import type { IndexedPack } from './pack-index';

const LARGE_OFFSET = 0x80000000;

/**
 * A pack index, version 2 (gitformat-pack): magic and version, a 256-entry
 * fanout of cumulative counts by first byte, the sorted object ids, their
 * CRC32s, their 31-bit offsets (high bit set: an index into the table of
 * 64-bit offsets that follows), the pack's checksum, and the index's own.
 */
export function encodeIdx(pack: IndexedPack): Buffer {
  const objects = [...pack.objects].sort((a, b) => Buffer.compare(a.oid, b.oid));
  const n = objects.length;
  const large = objects.filter((o) => o.offset >= LARGE_OFFSET);
  const out = Buffer.alloc(8 + 256 * 4 + n * 28 + large.length * 8 + 40);
  out.writeUInt32BE(0xff744f63, 0);
  out.writeUInt32BE(2, 4);
  const fanout = 8;
  const names = fanout + 256 * 4;
  const crcs = names + n * 20;
  const offsets = crcs + n * 4;
  const bigOffsets = offsets + n * 4;
  let largeIndex = 0;
  objects.forEach((object, i) => {
    object.oid.copy(out, names + i * 20);
    out.writeUInt32BE(object.crc >>> 0, crcs + i * 4);
    if (object.offset < LARGE_OFFSET) {
      out.writeUInt32BE(object.offset, offsets + i * 4);
    } else {
      out.writeUInt32BE((LARGE_OFFSET | largeIndex) >>> 0, offsets + i * 4);
      out.writeBigUInt64BE(BigInt(object.offset), bigOffsets + largeIndex * 8);
      largeIndex++;
    }
  });
  let counted = 0;
  for (let byte = 0; byte < 256; byte++) {
    while (counted < n && (objects[counted]?.oid[0] ?? 256) <= byte) counted++;
    out.writeUInt32BE(counted, fanout + byte * 4);
  }
  const trailer = bigOffsets + large.length * 8;
  pack.checksum.copy(out, trailer);
  createHash('sha1')
    .update(out.subarray(0, trailer + 20))
    .digest()
    .copy(out, trailer + 20);
  return out;
}
