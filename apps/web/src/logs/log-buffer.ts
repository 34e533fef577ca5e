/**
 * The lines a viewer shows: complete lines plus the unterminated last one,
 * capped to the newest `maxLines`. Immutable; appends return a new buffer.
 */
export interface LogBuffer {
  lines: readonly string[];
  /** Text after the last newline (a line the job is still writing); '' when none. */
  partial: string;
  /** Complete lines dropped from the front to respect the cap. */
  dropped: number;
}

export const EMPTY_BUFFER: LogBuffer = { lines: [], partial: '', dropped: 0 };

export function appendText(buffer: LogBuffer, text: string, maxLines: number): LogBuffer {
  if (text === '') return buffer;
  const pieces = (buffer.partial + text).split('\n');
  const partial = pieces.pop() ?? '';
  const lines = pieces.length === 0 ? buffer.lines : buffer.lines.concat(pieces);
  return cap({ lines, partial, dropped: buffer.dropped }, maxLines);
}

export function fromText(text: string, maxLines: number): LogBuffer {
  return appendText(EMPTY_BUFFER, text, maxLines);
}

/** Keeps the newest lines so that, with the partial line, at most `maxLines` are shown. */
export function cap(buffer: LogBuffer, maxLines: number): LogBuffer {
  const room = Math.max(0, maxLines - (buffer.partial === '' ? 0 : 1));
  const excess = buffer.lines.length - room;
  if (excess <= 0) return buffer;
  return { ...buffer, lines: buffer.lines.slice(excess), dropped: buffer.dropped + excess };
}

/** What is displayed, one entry per line. */
export function shownLines(buffer: LogBuffer): readonly string[] {
  return buffer.partial === '' ? buffer.lines : [...buffer.lines, buffer.partial];
}
