import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { appendText, cap, EMPTY_BUFFER, fromText, shownLines, type LogBuffer } from './log-buffer';
import type { FollowPhase, SnapshotPhase } from './log-state';
import type { LogSource } from './log-types';

/** Appended text is applied at most this often, so a chatty job costs a few renders a second. */
const FLUSH_MS = 80;

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * The lines of a log: the last `tailLines` from a one-off read, or, while
 * following, those lines and then everything appended after them until the
 * job ends (the follow starts at the tail's cursor, so a long log is not
 * read again from its first byte; without a cursor, from the start).
 */
export function useLogView(source: LogSource, tailLines: number, follow: boolean) {
  const tail = useQuery({
    queryKey: ['log-tail', source.key, tailLines],
    // Also while following: it tells the file's path and whether it exists.
    queryFn: () => source.fetchTail(tailLines),
    retry: false,
    staleTime: 0,
  });
  const snapshot: SnapshotPhase = tail.data
    ? { kind: 'ready', log: tail.data }
    : tail.error
      ? { kind: 'error', message: messageOf(tail.error) }
      : { kind: 'loading' };

  const [streamed, setStreamed] = useState<LogBuffer>(EMPTY_BUFFER);
  const [phase, setPhase] = useState<FollowPhase>({ kind: 'off' });
  const maxLines = useRef(tailLines);
  maxLines.current = tailLines;
  const latestTail = useRef(tail.data);
  latestTail.current = tail.data;
  const refetchTail = useRef(tail.refetch);
  refetchTail.current = tail.refetch;
  const tailSettled = !tail.isPending;

  useEffect(() => {
    if (!follow) {
      setPhase({ kind: 'off' });
      return;
    }
    if (!tailSettled) {
      setPhase({ kind: 'connecting' });
      return;
    }
    const start = latestTail.current;
    const from = start?.cursor ?? null;
    setStreamed(from === null || !start ? EMPTY_BUFFER : fromText(start.content, maxLines.current));
    setPhase({ kind: 'connecting' });
    let pending = '';
    let timer: ReturnType<typeof setTimeout> | undefined;
    // A job that had not started when the tail was read has no log location yet
    // (a CloudWatch stream is named when the job starts): read it again once output arrives.
    let locationKnown = start?.path != null;
    const flush = () => {
      timer = undefined;
      const text = pending;
      pending = '';
      setStreamed((b) => appendText(b, text, maxLines.current));
    };
    const stop = source.follow(
      {
        onOpen: () => setPhase((p) => (p.kind === 'connecting' ? { kind: 'streaming' } : p)),
        onChunk: (chunk) => {
          switch (chunk.kind) {
            case 'data':
              if (!locationKnown) {
                locationKnown = true;
                void refetchTail.current();
              }
              pending += chunk.text;
              timer ??= setTimeout(flush, FLUSH_MS);
              setPhase((p) => (p.kind === 'streaming' ? p : { kind: 'streaming' }));
              break;
            case 'waiting':
              setPhase({ kind: 'waiting', reason: chunk.reason });
              break;
            case 'end':
              clearTimeout(timer);
              flush();
              setPhase({ kind: 'ended', reason: chunk.reason });
              break;
          }
        },
        onError: (message) => setPhase({ kind: 'error', message }),
      },
      from,
    );
    return () => {
      clearTimeout(timer);
      stop();
    };
  }, [source, follow, tailSettled]);

  useEffect(() => setStreamed((b) => cap(b, tailLines)), [tailLines]);

  const lines = useMemo(
    () => shownLines(follow ? streamed : fromText(tail.data?.content ?? '', tailLines)),
    [follow, streamed, tail.data, tailLines],
  );
  return {
    lines,
    snapshot,
    follow: phase,
    path: tail.data?.path ?? null,
    refresh: () => void tail.refetch(),
  };
}
