import { open, type FileHandle } from 'node:fs/promises';
import { inflateSync, type Inflate } from 'node:zlib';
import {
  applyDelta,
  MissingBaseError,
  PackFormatError,
  parseEntryHeader,
  type EntryHeader,
  type ObjectType,
} from './pack-format';

export interface PackEntry {
  header: EntryHeader;
  /** Inflated data: the object's content, or for deltas the delta. */
  data: Buffer;
  /** Offset just after the entry's zlib stream: where the next entry starts. */
  end: number;
}

export interface PackObject {
  type: ObjectType;
  data: Buffer;
}

const WINDOW_BYTES = 1024 * 1024;
const MAX_HEADER_BYTES = 32;
const TRAILER_BYTES = 20;

/**
 * Random access to the objects of a pack file on disk. Reads go through one
 * window of at least 1 MB (entries are mostly read in pack order); resolved
 * delta bases are kept in a cache bounded by `cacheBytes`, least recently
 * used dropped first, so memory stays bounded whatever the pack's size.
 */
export class PackFile {
  private buffer = Buffer.alloc(0);
  private window = Buffer.alloc(0);
  private windowStart = 0;
  private readonly bases = new Map<number, PackObject>();
  private cachedBytes = 0;

  private constructor(
    private readonly handle: FileHandle,
    readonly size: number,
    private readonly cacheBytes: number,
    private readonly offsetOf: (oid: string) => number | undefined,
  ) {}

  /** `offsetOf` finds the base of a ref-delta by object id (undefined: not in this pack). */
  static async open(
    path: string,
    offsetOf: (oid: string) => number | undefined,
    cacheBytes = 32 * 1024 * 1024,
  ): Promise<PackFile> {
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      return new PackFile(handle, size, cacheBytes, offsetOf);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** Up to `length` bytes at `offset` (fewer at the end of the file). The buffer must not be kept across reads. */
  async bytes(offset: number, length: number): Promise<Buffer> {
    const end = Math.min(offset + length, this.size);
    if (end <= offset) return Buffer.alloc(0);
    if (offset < this.windowStart || end > this.windowStart + this.window.length) {
      const size = Math.min(Math.max(WINDOW_BYTES, end - offset), this.size - offset);
      // One buffer reused for every window (grown for a larger entry): no garbage per read.
      if (this.buffer.length < size) this.buffer = Buffer.allocUnsafe(size);
      const { bytesRead } = await this.handle.read(this.buffer, 0, size, offset);
      this.window = this.buffer.subarray(0, bytesRead);
      this.windowStart = offset;
    }
    return this.window.subarray(offset - this.windowStart, end - this.windowStart);
  }

  /** The entry at `offset`, inflated; deltas are not applied. */
  async entry(offset: number): Promise<PackEntry> {
    const dataEnd = this.size - TRAILER_BYTES;
    const header = parseEntryHeader(await this.bytes(offset, MAX_HEADER_BYTES), 0, offset);
    if (header === null || offset + header.headerLength > dataEnd)
      throw new PackFormatError(`truncated entry header at offset ${offset}`);
    const start = offset + header.headerLength;
    // zlib's worst case for incompressible data, plus room for the stream's own header and checksum.
    let length = Math.min(
      dataEnd - start,
      header.size + (header.size >> 12) + (header.size >> 14) + 64,
    );
    for (;;) {
      try {
        const { buffer, engine } = inflateSync(await this.bytes(start, length), {
          info: true,
        }) as unknown as { buffer: Buffer; engine: Inflate };
        if (buffer.length !== header.size) {
          throw new PackFormatError(
            `entry at offset ${offset} inflates to ${buffer.length} bytes, its header says ${header.size}`,
          );
        }
        return { header, data: buffer, end: start + engine.bytesWritten };
      } catch (error) {
        const truncated = (error as { code?: unknown }).code === 'Z_BUF_ERROR';
        if (!truncated || length >= dataEnd - start) {
          if (error instanceof PackFormatError) throw error;
          const message = error instanceof Error ? error.message : String(error);
          throw new PackFormatError(`cannot inflate the entry at offset ${offset}: ${message}`);
        }
        length = Math.min(dataEnd - start, length * 2);
      }
    }
  }

  /** The object at `offset`, deltas resolved against bases read back from the file. */
  async object(offset: number): Promise<PackObject> {
    const cached = this.bases.get(offset);
    if (cached) {
      this.bases.delete(offset);
      this.bases.set(offset, cached);
      return cached;
    }
    const { header, data } = await this.entry(offset);
    if (header.kind !== 'ofs-delta' && header.kind !== 'ref-delta')
      return { type: header.kind, data };
    const baseOffset = header.baseOffset ?? this.offsetOf(header.baseOid ?? '');
    if (baseOffset === undefined || baseOffset === null) {
      throw new MissingBaseError(
        `the delta at offset ${offset} needs object ${header.baseOid ?? '?'}, which is not in the pack`,
      );
    }
    const base = await this.object(baseOffset);
    this.remember(baseOffset, base);
    return { type: base.type, data: applyDelta(base.data, data) };
  }

  private remember(offset: number, object: PackObject): void {
    if (this.bases.has(offset) || object.data.length > this.cacheBytes / 4) return;
    this.bases.set(offset, object);
    this.cachedBytes += object.data.length;
    for (const [key, value] of this.bases) {
      if (this.cachedBytes <= this.cacheBytes) break;
      this.bases.delete(key);
      this.cachedBytes -= value.data.length;
    }
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}
