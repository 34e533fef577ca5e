import { open } from 'node:fs/promises';
import type { GitHttpRequest, GitProgressEvent } from 'isomorphic-git';
import { FLUSH, parseAdvertisement, pktLine, PktLineReader, type Advertisement } from '../pkt-line';
import { collectBody, type RemoteSession } from '../remote-session';
import { SourceError } from '../source-error';
import { PackReceiver, type ObjectSink, type ReceivedPack } from './pack-receiver';

export interface PackRemote {
  session: RemoteSession;
  /** The remote URL as isomorphic-git is given it (an `http::` transport prefix is dropped). */
  url: string;
}

/** Capabilities asked for when the server offers them; side-band-64k is required. */
const WANTED_CAPABILITIES = ['side-band-64k', 'ofs-delta', 'no-progress'];
const AGENT = 'agent=git/scripthut';

/** One ref listing (smart protocol v0/v1). A non-200 answer throws; the session says why. */
export async function listRefs(remote: PackRemote): Promise<Advertisement> {
  const response = await request(remote, {
    url: `${base(remote.url)}/info/refs?service=git-upload-pack`,
    method: 'GET',
    headers: { ...remote.session.headers, accept: 'application/x-git-upload-pack-advertisement' },
  });
  const body = await collectBody(response);
  if (!body.toString('latin1', 4, 30).startsWith('# service=git-upload-pack')) {
    throw new SourceError(
      'other',
      `${remote.url} does not speak git's smart protocol (no "# service=git-upload-pack" in its ref listing).`,
    );
  }
  const advertisement = parseAdvertisement(body);
  if (advertisement.error !== null)
    throw new SourceError('other', `${remote.url} refused the fetch: ${advertisement.error}`);
  return advertisement;
}

/**
 * Asks for everything reachable from `want` and not from `haves` (none: a
 * clone; thin packs are not asked for, so the pack is whole) and writes the
 * pack to `packPath` as it arrives, demultiplexing side-band-64k: band 1 is
 * pack data, band 2 progress text, band 3 a fatal error. The pack is indexed
 * on the way (PackReceiver), whole objects handed to `sink`; memory stays at a network chunk, the entry being
 * read and a write buffer. Reports received bytes through `onProgress`.
 */
export async function fetchPack(
  remote: PackRemote,
  advertisement: Advertisement,
  want: string,
  packPath: string,
  options: {
    haves: readonly string[];
    sink: ObjectSink | null;
    onProgress?: ((event: GitProgressEvent) => void) | undefined;
  },
): Promise<ReceivedPack> {
  const { haves, sink, onProgress } = options;
  if (!advertisement.capabilities.includes('side-band-64k')) {
    throw new SourceError(
      'other',
      `${remote.url} does not offer side-band-64k, which fetching a pack needs.`,
    );
  }
  const capabilities = WANTED_CAPABILITIES.filter((c) => advertisement.capabilities.includes(c));
  const body = Buffer.concat([
    pktLine(`want ${want} ${[...capabilities, AGENT].join(' ')}\n`),
    FLUSH,
    ...haves.map((have) => pktLine(`have ${have}\n`)),
    pktLine('done\n'),
  ]);
  const response = await request(remote, {
    url: `${base(remote.url)}/git-upload-pack`,
    method: 'POST',
    headers: {
      ...remote.session.headers,
      'content-type': 'application/x-git-upload-pack-request',
      accept: 'application/x-git-upload-pack-result',
    },
    // An array, as isomorphic-git itself sends: its HTTP client then sets Content-Length (a CGI
    // such as git http-backend otherwise reads a chunked body) and SSH iterates it the same.
    body: [body] as unknown as GitHttpRequest['body'],
  });
  const file = await open(packPath, 'wx');
  try {
    const receiver = new PackReceiver(file, sink);
    const reader = new PktLineReader();
    let acknowledged = false;
    let ended = false;
    for await (const chunk of response) {
      reader.push(chunk);
      for (let line = reader.next(); line !== null && !ended; line = reader.next()) {
        if (line.kind === 'flush') {
          ended = acknowledged;
          continue;
        }
        const payload = line.payload;
        if (payload.toString('latin1', 0, 4) === 'ERR ')
          throw refused(remote, payload.subarray(4).toString('utf8'));
        if (!acknowledged) {
          // NAK (no common commits) or one ACK (without multi_ack), or shallow lines; the pack follows.
          acknowledged = /^(NAK|ACK )/.test(payload.toString('latin1', 0, 4));
          continue;
        }
        const band = payload[0];
        if (band === 1) {
          await receiver.push(payload.subarray(1));
          onProgress?.({ phase: 'Receiving objects', loaded: receiver.bytes, total: 0 });
        } else if (band === 3) {
          throw refused(remote, payload.subarray(1).toString('utf8'));
        }
      }
    }
    if (!ended)
      throw new SourceError('other', `${remote.url} ended the pack stream before its end.`);
    return await receiver.finish();
  } finally {
    await file.close();
  }
}

async function request(
  remote: PackRemote,
  req: GitHttpRequest,
): Promise<AsyncIterableIterator<Uint8Array>> {
  const response = await remote.session.http.request(req);
  if (response.statusCode !== 200) {
    throw (
      remote.session.failure ??
      new SourceError('other', `${req.url} answered HTTP ${response.statusCode}.`)
    );
  }
  if (!response.body) throw new SourceError('other', `${req.url} answered with no body.`);
  return response.body;
}

const base = (url: string): string => url.replace(/^[a-z][a-z0-9+.-]*::/i, '').replace(/\/+$/, '');

const refused = (remote: PackRemote, message: string): SourceError =>
  new SourceError('other', `${remote.url} stopped sending the pack: ${message.trim()}`);
