import type { HttpClient } from 'isomorphic-git';
import type { SourceError } from './source-error';

/**
 * The transport for one clone or fetch: an isomorphic-git HTTP client plus
 * what the transport itself learned. Used for one operation, then closed.
 */
export interface RemoteSession {
  readonly http: HttpClient;
  /** The transport's own first failure; more precise than the error isomorphic-git throws after it. */
  readonly failure: SourceError | null;
  /** Refs of the last ref advertisement (null before one arrived), to name the branches that do exist. */
  readonly advertisedRefs: Map<string, string> | null;
  /** Headers isomorphic-git sends with every request (credentials). */
  readonly headers?: Record<string, string>;
  /** Bytes received from the remote so far: ref advertisements and packs. */
  readonly bytesReceived: number;
  close(): Promise<void>;
}

/** A response body of one chunk, as isomorphic-git's HTTP client interface wants it. */
export function singleChunkBody(chunk: Uint8Array): AsyncIterableIterator<Uint8Array> {
  const chunks = [chunk].values();
  const body: AsyncIterableIterator<Uint8Array> = {
    next: () => Promise.resolve(chunks.next()),
    [Symbol.asyncIterator]: () => body,
  };
  return body;
}

/** A whole response (or request) body in one buffer. */
export async function collectBody(
  body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks);
}
