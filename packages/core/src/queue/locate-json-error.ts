export interface JsonErrorLocation {
  /** Character offset of the first character that makes the text invalid JSON. */
  offset: number;
  line: number;
  column: number;
  /** What the scanner wanted there, e.g. `"," or "]"`. */
  expected: string;
  /** What it found: a quoted character or "end of input". */
  found: string;
}

/**
 * Finds where `text` stops being JSON. Node 20's `JSON.parse` errors carry no
 * position, so this small scanner (run only after `JSON.parse` failed)
 * walks the grammar and reports the first offending character. Returns null
 * when the scanner finds the text valid.
 */
export function locateJsonError(text: string): JsonErrorLocation | null {
  let i = 0;
  const fail = (expected: string): never => {
    throw new ScanError(i, expected);
  };
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const literal = (word: string): void => {
    for (const ch of word) {
      if (text[i] !== ch) fail(`"${word}"`);
      i++;
    }
  };
  const string = (): void => {
    i++;
    for (;;) {
      if (i >= text.length) fail('a closing \'"\'');
      const c = text.charCodeAt(i);
      if (c === 0x22) return void i++;
      if (c < 0x20) fail('an escaped control character (\\n, \\t…)');
      if (c === 0x5c) {
        i++;
        const e = text[i];
        if (e === 'u') {
          for (let k = 1; k <= 4; k++) {
            if (!/[0-9a-fA-F]/.test(text[i + k] ?? '')) {
              i += k;
              fail('4 hex digits after \\u');
            }
          }
          i += 5;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i++;
        else fail('an escape such as \\" \\\\ \\n \\t or \\u00e9');
      } else i++;
    }
  };
  const digits = (): void => {
    if (!/[0-9]/.test(text[i] ?? '')) fail('a digit');
    while (/[0-9]/.test(text[i] ?? '')) i++;
  };
  const number = (): void => {
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else digits();
    if (text[i] === '.') {
      i++;
      digits();
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      digits();
    }
  };
  let depth = 0;
  const member = (): void => {
    ws();
    if (text[i] !== '"') fail('a key in double quotes');
    string();
    ws();
    if (text[i] !== ':') fail('":"');
    i++;
    value();
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if ((c === '{' || c === '[') && ++depth > MAX_DEPTH) fail(`at most ${MAX_DEPTH} levels of nesting`);
    if (c === '{') return container('}', member);
    if (c === '[') return container(']', value);
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    if (c === '-' || /[0-9]/.test(c ?? '')) return number();
    fail('a value (object, array, string, number, true, false or null)');
  };
  const container = (close: string, item: () => void): void => {
    i++;
    ws();
    if (text[i] === close) {
      depth--;
      return void i++;
    }
    for (;;) {
      item();
      ws();
      if (text[i] === ',') i++;
      else if (text[i] === close) {
        depth--;
        return void i++;
      } else fail(`"," or "${close}"`);
    }
  };
  try {
    value();
    ws();
    if (i < text.length) fail('end of input');
    return null;
  } catch (e) {
    if (!(e instanceof ScanError)) throw e;
    return position(text, e.offset, e.expected);
  }
}

const MAX_DEPTH = 1_000;

class ScanError extends Error {
  constructor(
    readonly offset: number,
    readonly expected: string,
  ) {
    super(`expected ${expected} at ${offset}`);
  }
}

function position(text: string, offset: number, expected: string): JsonErrorLocation {
  let line = 1;
  let lineStart = 0;
  for (let k = 0; k < offset; k++) {
    if (text[k] === '\n') {
      line++;
      lineStart = k + 1;
    }
  }
  const ch = text[offset];
  return { offset, line, column: offset - lineStart + 1, expected, found: ch === undefined ? 'end of input' : JSON.stringify(ch) };
}
