/**
 * Git's pkt-line framing: a 4-hex-digit length that counts itself, then the
 * payload; `0000` is a flush packet. Only what the transport needs to find the
 * end of upload-pack's ref advertisement and to read refs out of it.
 */

export class PktLineError extends Error {
  override readonly name = 'PktLineError';
}

export type PktLine = { kind: 'flush' } | { kind: 'data'; payload: Buffer };

/**
 * The packets complete in `buffer` and the offset after the last one. Stops at
 * an incomplete packet; throws PktLineError on a length that is not a
 * pkt-line length (the peer is not speaking git's protocol).
 */
export function readPktLines(buffer: Buffer, start = 0): { lines: PktLine[]; end: number } {
  const lines: PktLine[] = [];
  let offset = start;
  while (buffer.length - offset >= 4) {
    const length = pktLength(buffer, offset);
    if (length < 4) {
      lines.push({ kind: 'flush' });
      offset += 4;
      continue;
    }
    if (buffer.length - offset < length) break;
    lines.push({ kind: 'data', payload: buffer.subarray(offset + 4, offset + length) });
    offset += length;
  }
  return { lines, end: offset };
}

/**
 * Pkt-lines from a stream of chunks, through one buffer that is reused (grown
 * only for a longer packet): a chunk costs a copy, not a new buffer. A
 * payload is valid until the next `push`.
 */
export class PktLineReader {
  private buffer = Buffer.allocUnsafe(128 * 1024);
  private start = 0;
  private end = 0;

  push(chunk: Uint8Array): void {
    if (this.start > 0) {
      this.buffer.copy(this.buffer, 0, this.start, this.end);
      this.end -= this.start;
      this.start = 0;
    }
    if (this.end + chunk.length > this.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.end + chunk.length, this.buffer.length * 2));
      this.buffer.copy(grown, 0, 0, this.end);
      this.buffer = grown;
    }
    this.buffer.set(chunk, this.end);
    this.end += chunk.length;
  }

  /** The next complete packet, or null until more bytes are pushed. */
  next(): PktLine | null {
    if (this.end - this.start < 4) return null;
    const length = pktLength(this.buffer, this.start);
    if (length < 4) {
      this.start += 4;
      return { kind: 'flush' };
    }
    if (this.end - this.start < length) return null;
    const payload = this.buffer.subarray(this.start + 4, this.start + length);
    this.start += length;
    return { kind: 'data', payload };
  }

  /** Bytes pushed and not yet returned as packets. */
  get pending(): number {
    return this.end - this.start;
  }
}

/** Offset just after the first flush packet in `buffer`, or null when it has not arrived yet. */
export function endOfFirstSection(buffer: Buffer): number | null {
  let offset = 0;
  while (buffer.length - offset >= 4) {
    const length = pktLength(buffer, offset);
    if (length < 4) return offset + 4;
    if (buffer.length - offset < length) return null;
    offset += length;
  }
  return null;
}

/** 0 flush; 1 delim and 2 response-end (protocol v2) end a section the same way here. */
function pktLength(buffer: Buffer, offset: number): number {
  const header = buffer.toString('latin1', offset, offset + 4);
  if (!/^[0-9a-f]{4}$/i.test(header))
    throw new PktLineError(`not a pkt-line length: ${JSON.stringify(header)}`);
  const length = parseInt(header, 16);
  if (length === 3) throw new PktLineError('invalid pkt-line length 3');
  return length;
}

export function pktLine(payload: string): Buffer {
  const body = Buffer.from(payload, 'utf8');
  return Buffer.concat([
    Buffer.from((body.length + 4).toString(16).padStart(4, '0'), 'latin1'),
    body,
  ]);
}

export const FLUSH = Buffer.from('0000', 'latin1');

export interface Advertisement {
  /** Ref name to object id, in advertisement order (peeled `^{}` entries left out). */
  refs: Map<string, string>;
  /** Text of an `ERR` packet, when the server sent one instead of refs. */
  error: string | null;
  /** Capabilities after the NUL of the first ref line (`side-band-64k`, `ofs-delta`, …). */
  capabilities: string[];
}

/**
 * Refs of a protocol v0/v1 advertisement, with or without the smart-HTTP
 * `# service=…` preamble.
 */
export function parseAdvertisement(buffer: Buffer): Advertisement {
  const refs = new Map<string, string>();
  let capabilities: string[] = [];
  for (const line of readPktLines(buffer).lines) {
    if (line.kind !== 'data') continue;
    const text = line.payload.toString('utf8').replace(/\n$/, '');
    if (text.startsWith('ERR ')) return { refs, error: text.slice(4), capabilities };
    const nul = text.indexOf('\0');
    if (nul >= 0 && capabilities.length === 0)
      capabilities = text
        .slice(nul + 1)
        .split(' ')
        .filter(Boolean);
    if (text.startsWith('# ') || text === 'version 1') continue;
    const match = /^([0-9a-f]{40}|[0-9a-f]{64}) ([^\0]+)/.exec(text);
    if (!match?.[1] || !match[2] || match[2] === 'capabilities^{}' || match[2].endsWith('^{}'))
      continue;
    refs.set(match[2], match[1]);
  }
  return { refs, error: null, capabilities };
}
