export type LogKind = 'output' | 'error';

/** One message of a followed log (the API's `logFollow` contract). `data` carries text appended at `offset`; `cursor` resumes after it. */
export type LogChunk =
  | { kind: 'data'; offset: number; text: string; cursor: string }
  | { kind: 'waiting'; reason: string }
  | { kind: 'end'; reason: string };

/** The last lines of a log, as task and job logs both answer. */
export interface LogSnapshot {
  /** The file read; null when it cannot be known (see `unavailable`). */
  path: string | null;
  /** False: the file does not exist (distinct from an empty file). */
  exists: boolean;
  content: string;
  /** Why there is no file to read at all, in words; null when `path` is known. */
  unavailable: string | null;
  /** Where a follow continues after `content` (so the tail is not read again); null: from the start. */
  cursor: string | null;
}

export interface FollowHandlers {
  /** The stream is open (the server may stay silent while nothing is written). */
  onOpen: () => void;
  onChunk: (chunk: LogChunk) => void;
  onError: (message: string) => void;
}

/** Where a log viewer reads from: tasks and jobs each provide one. */
export interface LogSource {
  /** Identity of the log; a new key starts the viewer over. */
  key: string;
  fetchTail: (lines: number) => Promise<LogSnapshot>;
  /** Streams appended text from `from` (a tail's cursor; null: the start) until the job ends; returns `stop`. */
  follow: (handlers: FollowHandlers, from: string | null) => () => void;
  /** Whole-file download, or null when the server offers none. */
  downloadHref: string | null;
}

export const TAIL_CHOICES = [100, 500, 2000] as const;
export type TailLines = (typeof TAIL_CHOICES)[number];
