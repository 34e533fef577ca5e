import { createHash, type Hash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { crc32, inflateSync, type Inflate } from 'node:zlib';
import type { PackObject } from './pack-file';
import {
  applyDelta,
  objectId,
  PackFormatError,
  parseEntryHeader,
  parsePackHeader,
  type EntryHeader,
  type ObjectType,
} from './pack-format';
import type { IndexedObject } from './pack-index';

/** Gets every whole (non-delta) object as it is indexed; `ready` holds the stream back. */
export interface ObjectSink {
  take(type: ObjectType, oid: string, data: Buffer): void;
  ready(): Promise<void>;
}

const HEADER_BYTES = 12;
const TRAILER_BYTES = 20;
const MAX_ENTRY_HEADER_BYTES = 32;
/** Pack bytes written to the file at once. */
const WRITE_BYTES = 1024 * 1024;
/**
 * Compressed bytes one entry may hold back before the receiver stops indexing
 * as the pack arrives: the rest is indexed from the file afterwards, so
 * memory never grows with the largest object.
 */
const MAX_HELD_BYTES = 8 * 1024 * 1024;
/** Trees and commits kept to resolve the deltas against them as they arrive. */
const RECENT_BYTES = 4 * 1024 * 1024;

/** What the receiver learnt while the pack arrived. */
export interface ReceivedPack {
  /** Object count from the pack header. */
  count: number;
  /** Every entry indexed so far, in pack order; deltas have an empty oid until resolved. */
  objects: IndexedObject[];
  /** The entries of `objects` that are deltas not resolved yet. */
  deltas: IndexedObject[];
  /** Ids (hex) of the non-delta objects indexed so far, with their offsets. */
  byOid: Map<string, number>;
  /** Offset of the first entry not yet indexed (the trailer's when all were), and its index. */
  next: { offset: number; index: number };
  /** The trailing checksum, checked against the SHA-1 of everything before it. */
  checksum: Buffer;
}

/**
 * Takes the pack's bytes as they arrive, writes them to `file`, and indexes
 * entries on the way: offset, CRC32, and for non-deltas the object id (each
 * entry inflated once, from memory). Deltas against a recent tree or commit
 * are resolved at once; the others later, from the file. Whole objects go to `sink` as they are indexed (the clone writes
 * files from them). Only the entry being read is held in memory; one whose compressed
 * bytes outgrow `maxHeldBytes` ends the indexing (`next` says where the
 * file-based pass resumes), and the bytes after it are only written.
 */
export class PackReceiver {
  private readonly hash: Hash = createHash('sha1');
  private held = Buffer.allocUnsafe(256 * 1024);
  private heldLength = 0;
  /** Offset in the pack of `held[0]`. */
  private heldOffset = 0;
  private readonly out = Buffer.allocUnsafe(WRITE_BYTES);
  private outLength = 0;
  private received = 0;
  /** The last 20 bytes seen: not hashed until more arrive (the trailer is not part of the hash). */
  private readonly tail = Buffer.alloc(TRAILER_BYTES);
  private tailLength = 0;
  private count: number | null = null;
  private readonly recent = new Map<number, PackObject>();
  private recentBytes = 0;
  private indexing = true;
  private readonly pack: Omit<ReceivedPack, 'count' | 'checksum'> = {
    objects: [],
    deltas: [],
    byOid: new Map(),
    next: { offset: HEADER_BYTES, index: 0 },
  };

  /** `maxHeldBytes`: see MAX_HELD_BYTES (smaller in tests, to take the file-based path). */
  constructor(
    private readonly file: FileHandle,
    private readonly sink: ObjectSink | null = null,
    private readonly maxHeldBytes = MAX_HELD_BYTES,
  ) {}

  get bytes(): number {
    return this.received;
  }

  async push(data: Buffer): Promise<void> {
    this.received += data.length;
    this.updateHash(data);
    await this.write(data);
    if (!this.indexing) return;
    this.hold(data);
    this.indexHeld(false);
    if (!this.indexing) this.held = Buffer.alloc(0);
    await this.sink?.ready();
  }

  /** After the last byte: flushes the file and checks the checksum. */
  async finish(): Promise<ReceivedPack> {
    await this.flush();
    if (this.received < HEADER_BYTES + TRAILER_BYTES || this.count === null)
      throw new PackFormatError(`the pack ended after ${this.received} bytes`);
    if (this.indexing) this.indexHeld(true);
    await this.sink?.ready();
    const checksum = Buffer.from(this.tail);
    if (!this.hash.digest().equals(checksum))
      throw new PackFormatError('the pack checksum does not match its content');
    this.held = Buffer.alloc(0);
    return { ...this.pack, count: this.count, checksum };
  }

  private updateHash(data: Buffer): void {
    const total = this.tailLength + data.length;
    if (total <= TRAILER_BYTES) {
      data.copy(this.tail, this.tailLength);
      this.tailLength = total;
      return;
    }
    const fromTail = Math.min(this.tailLength, total - TRAILER_BYTES);
    if (fromTail > 0) this.hash.update(this.tail.subarray(0, fromTail));
    const fromData = total - TRAILER_BYTES - fromTail;
    if (fromData > 0) this.hash.update(data.subarray(0, fromData));
    // What stays: the rest of the old tail, then the end of `data`.
    this.tail.copy(this.tail, 0, fromTail, this.tailLength);
    const kept = this.tailLength - fromTail;
    data.copy(this.tail, kept, fromData);
    this.tailLength = TRAILER_BYTES;
  }

  private async write(data: Buffer): Promise<void> {
    if (this.outLength + data.length > this.out.length) await this.flush();
    if (data.length >= this.out.length) {
      await this.file.write(data);
      return;
    }
    this.outLength += data.copy(this.out, this.outLength);
  }

  private async flush(): Promise<void> {
    if (this.outLength === 0) return;
    const length = this.outLength;
    this.outLength = 0;
    await this.file.write(this.out, 0, length);
  }

  /** Appends to `held`, first dropping what was indexed already (one buffer, reused). */
  private hold(data: Buffer): void {
    // Until the pack header is read, `next` points past bytes that may not be held yet.
    const consumed = this.count === null ? 0 : this.pack.next.offset - this.heldOffset;
    if (consumed > 0) {
      this.held.copy(this.held, 0, consumed, this.heldLength);
      this.heldLength -= consumed;
      this.heldOffset += consumed;
    }
    const needed = this.heldLength + data.length;
    if (needed > this.held.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, this.held.length * 2));
      this.held.copy(grown, 0, 0, this.heldLength);
      this.held = grown;
    }
    this.heldLength += data.copy(this.held, this.heldLength);
  }

  /** The object an entry holds: its data, or a delta applied to a recent tree or commit; null for later. */
  private whole(header: EntryHeader, data: Buffer): PackObject | null {
    if (header.kind !== 'ofs-delta' && header.kind !== 'ref-delta')
      return { type: header.kind, data };
    const baseOffset = header.baseOffset ?? this.pack.byOid.get(header.baseOid ?? '');
    const base = baseOffset === undefined ? undefined : this.recent.get(baseOffset);
    return base ? { type: base.type, data: applyDelta(base.data, data) } : null;
  }

  /**
   * Trees and commits are kept a while (RECENT_BYTES): a tree is mostly a
   * delta against one just before it, and resolving it at once lets the work
   * tree under it be written while the pack arrives. Blobs are not kept.
   */
  private remember(offset: number, object: PackObject): void {
    if (object.type !== 'tree' && object.type !== 'commit') return;
    this.recent.set(offset, object);
    this.recentBytes += object.data.length;
    for (const [key, value] of this.recent) {
      if (this.recentBytes <= RECENT_BYTES) break;
      this.recent.delete(key);
      this.recentBytes -= value.data.length;
    }
  }

  /** Indexes every entry complete in `held`; `final`: no more bytes will come. */
  private indexHeld(final: boolean): void {
    const pack = this.pack;
    if (this.count === null) {
      if (this.heldLength < HEADER_BYTES) return;
      this.count = parsePackHeader(this.held.subarray(0, HEADER_BYTES));
    }
    // Bytes of the pack after the entries' last possible byte: the trailer, which is not an entry.
    const available = this.heldOffset + this.heldLength - (final ? TRAILER_BYTES : 0);
    while (pack.next.index < this.count) {
      const offset = pack.next.offset;
      const at = offset - this.heldOffset;
      const header = parseEntryHeader(
        this.held.subarray(at, Math.min(at + MAX_ENTRY_HEADER_BYTES, this.heldLength)),
        0,
        offset,
      );
      if (header === null) {
        if (final) throw new PackFormatError(`truncated entry header at offset ${offset}`);
        return;
      }
      const start = offset + header.headerLength;
      // zlib's worst case for incompressible data, plus its own header and checksum.
      const bound = header.size + (header.size >> 12) + (header.size >> 14) + 64;
      if (start + bound > available && !final) {
        if (available - offset > this.maxHeldBytes) this.indexing = false;
        return;
      }
      const compressed = this.held.subarray(
        start - this.heldOffset,
        Math.min(start + bound, available) - this.heldOffset,
      );
      const { data, used } = inflateEntry(compressed, header.size, offset);
      const end = start + used;
      const entry: IndexedObject = {
        oid: Buffer.alloc(0),
        offset,
        crc: crc32(this.held.subarray(at, end - this.heldOffset)),
      };
      pack.objects.push(entry);
      const whole = this.whole(header, data);
      if (whole === null) {
        pack.deltas.push(entry);
      } else {
        entry.oid = objectId(whole.type, whole.data);
        const oid = entry.oid.toString('hex');
        pack.byOid.set(oid, offset);
        this.remember(offset, whole);
        this.sink?.take(whole.type, oid, whole.data);
      }
      pack.next = { offset: end, index: pack.next.index + 1 };
    }
    if (final && pack.next.offset !== available)
      throw new PackFormatError(
        `${available - pack.next.offset} unexpected bytes after the last object`,
      );
  }
}

function inflateEntry(
  compressed: Buffer,
  size: number,
  offset: number,
): { data: Buffer; used: number } {
  try {
    const { buffer, engine } = inflateSync(compressed, { info: true }) as unknown as {
      buffer: Buffer;
      engine: Inflate;
    };
    if (buffer.length !== size) {
      throw new PackFormatError(
        `entry at offset ${offset} inflates to ${buffer.length} bytes, its header says ${size}`,
      );
    }
    return { data: buffer, used: engine.bytesWritten };
  } catch (error) {
    if (error instanceof PackFormatError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new PackFormatError(`cannot inflate the entry at offset ${offset}: ${message}`);
  }
}
