import { describe, expect, it } from 'vitest';
import {
  endOfFirstSection,
  FLUSH,
  parseAdvertisement,
  pktLine,
  PktLineError,
  PktLineReader,
  readPktLines,
} from './pkt-line';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const advertisement = Buffer.concat([
  pktLine(`${A} HEAD\0multi_ack side-band-64k symref=HEAD:refs/heads/main\n`),
  pktLine(`${A} refs/heads/main\n`),
  pktLine(`${B} refs/heads/dev\n`),
  pktLine(`${B} refs/tags/v1\n`),
  pktLine(`${A} refs/tags/v1^{}\n`),
  FLUSH,
]);

describe('pkt-line', () => {
  it('frames a payload with its length in four hex digits, counting the header', () => {
    expect(pktLine('hello\n').toString()).toBe('000ahello\n');
  });

  it('finds the end of the advertisement only once its flush packet has arrived', () => {
    expect(endOfFirstSection(advertisement)).toBe(advertisement.length);
    expect(endOfFirstSection(advertisement.subarray(0, advertisement.length - 1))).toBeNull();
    expect(endOfFirstSection(advertisement.subarray(0, 10))).toBeNull();
    expect(endOfFirstSection(Buffer.concat([advertisement, Buffer.from('0008NAK\n')]))).toBe(
      advertisement.length,
    );
  });

  it('stops at an incomplete packet and reports where it stopped', () => {
    const { lines, end } = readPktLines(Buffer.concat([pktLine('one\n'), Buffer.from('0010abc')]));
    expect(lines).toEqual([{ kind: 'data', payload: Buffer.from('one\n') }]);
    expect(end).toBe(8);
  });

  it('reads packets split across chunks anywhere, and a chunk larger than its buffer', () => {
    const reader = new PktLineReader();
    const seen: string[] = [];
    const packets = Buffer.concat([pktLine('one\n'), FLUSH, pktLine('two\n')]);
    for (let at = 0; at < packets.length; at += 3) {
      reader.push(packets.subarray(at, at + 3));
      for (let line = reader.next(); line !== null; line = reader.next())
        seen.push(line.kind === 'flush' ? '0000' : line.payload.toString());
    }
    expect(seen).toEqual(['one\n', '0000', 'two\n']);
    expect(reader.pending).toBe(0);
    const big = Buffer.alloc(65516, 'y');
    const many = Buffer.concat([
      ...Array.from({ length: 4 }, () => pktLine(big.toString())),
      FLUSH,
    ]);
    reader.push(many.subarray(0, 200_000));
    reader.push(many.subarray(200_000));
    const sizes: number[] = [];
    for (let line = reader.next(); line !== null; line = reader.next())
      sizes.push(line.kind === 'flush' ? 0 : line.payload.length);
    expect(sizes).toEqual([65516, 65516, 65516, 65516, 0]);
  });

  it('refuses bytes that are not pkt-lines (a shell banner instead of upload-pack)', () => {
    expect(() => endOfFirstSection(Buffer.from('Welcome to the server\n'))).toThrow(PktLineError);
    expect(() => readPktLines(Buffer.from('0003'))).toThrow(/length 3/);
  });

  it('lists advertised refs without peeled tags and the capabilities, with or without the smart-HTTP preamble', () => {
    const expected = new Map([
      ['HEAD', A],
      ['refs/heads/main', A],
      ['refs/heads/dev', B],
      ['refs/tags/v1', B],
    ]);
    expect(parseAdvertisement(advertisement)).toEqual({
      refs: expected,
      error: null,
      capabilities: ['multi_ack', 'side-band-64k', 'symref=HEAD:refs/heads/main'],
    });
    const http = Buffer.concat([pktLine('# service=git-upload-pack\n'), FLUSH, advertisement]);
    expect(parseAdvertisement(http).refs).toEqual(expected);
  });

  it('reads an empty repository as no refs and an ERR packet as the error', () => {
    const empty = Buffer.concat([
      pktLine(`${'0'.repeat(40)} capabilities^{}\0agent=git/2\n`),
      FLUSH,
    ]);
    expect(parseAdvertisement(empty).refs.size).toBe(0);
    expect(parseAdvertisement(empty).capabilities).toEqual(['agent=git/2']);
    expect(parseAdvertisement(pktLine('ERR access denied\n')).error).toBe('access denied');
  });
});
