/**
 * Characters refused anywhere in a config's keys and values: C0 controls
 * other than tab, newline and carriage return (NUL breaks file paths, ESC
 * rewrites terminals), DEL, and the bidirectional overrides that make text
 * read differently from what it is ("Trojan Source").
 */
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/;
/** Keys are names: no line breaks or tabs either. */
// eslint-disable-next-line no-control-regex
const FORBIDDEN_IN_KEY = /[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/;

export interface ControlCharFinding {
  path: PropertyKey[];
  /** `U+0000` style. */
  codePoint: string;
  inKey: boolean;
}

const codePointOf = (match: string): string =>
  `U+${match.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;

/** Every key or string value in `data` holding a refused character, with its path. */
export function findControlChars(data: unknown, path: PropertyKey[] = []): ControlCharFinding[] {
  if (typeof data === 'string') {
    const m = FORBIDDEN.exec(data);
    return m ? [{ path, codePoint: codePointOf(m[0]), inKey: false }] : [];
  }
  if (Array.isArray(data)) return data.flatMap((v, i) => findControlChars(v, [...path, i]));
  if (typeof data === 'object' && data !== null) {
    return Object.entries(data).flatMap(([key, value]) => {
      const m = FORBIDDEN_IN_KEY.exec(key);
      return m
        ? [{ path: [...path, key], codePoint: codePointOf(m[0]), inKey: true }]
        : findControlChars(value, [...path, key]);
    });
  }
  return [];
}
