import { describe, expect, it } from 'vitest';
import { appendText, cap, EMPTY_BUFFER, fromText, shownLines } from './log-buffer';

describe('log buffer', () => {
  it('splits text into lines and keeps an unterminated last line apart', () => {
    const b = fromText('a\nb\nc', 10);
    expect(b.lines).toEqual(['a', 'b']);
    expect(b.partial).toBe('c');
    expect(shownLines(b)).toEqual(['a', 'b', 'c']);
  });

  it('does not show an empty line after a final newline', () => {
    expect(shownLines(fromText('a\nb\n', 10))).toEqual(['a', 'b']);
  });

  it('joins a line written in two chunks', () => {
    const b = appendText(appendText(EMPTY_BUFFER, 'hel', 10), 'lo\nwor', 10);
    expect(shownLines(b)).toEqual(['hello', 'wor']);
  });

  it('keeps only the newest lines and counts the dropped ones', () => {
    const b = appendText(fromText('1\n2\n3\n', 3), '4\n5\n', 3);
    expect(shownLines(b)).toEqual(['3', '4', '5']);
    expect(b.dropped).toBe(2);
  });

  it('counts the partial line against the cap', () => {
    expect(shownLines(fromText('1\n2\n3', 2))).toEqual(['2', '3']);
  });

  it('shrinks to a smaller cap', () => {
    expect(shownLines(cap(fromText('1\n2\n3\n4\n', 10), 2))).toEqual(['3', '4']);
  });

  it('keeps 10,000 lines appended in many chunks, in order', () => {
    let b = EMPTY_BUFFER;
    for (let i = 0; i < 1_000; i++) {
      b = appendText(
        b,
        Array.from({ length: 12 }, (_, j) => `line ${i * 12 + j}\n`).join(''),
        10_000,
      );
    }
    expect(b.lines.length).toBe(10_000);
    expect(b.lines[0]).toBe('line 2000');
    expect(b.lines.at(-1)).toBe('line 11999');
  });
});
