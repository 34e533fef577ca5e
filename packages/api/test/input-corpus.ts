/**
 * Hostile values for API inputs, grouped by the kind of field they attack.
 * Every value here must be refused by validation, before the core is called.
 */
const long = (n: number): string => 'x'.repeat(n);

/** Not a string at all. */
export const NOT_STRINGS: unknown[] = [42, -1, 1e308, true, null, [], ['a'], {}, { $gt: '' }];

/** Strings no identifier may be: control characters, whitespace, unicode look-alikes, huge. */
const NEVER_AN_ID: string[] = [
  '',
  ' ',
  'a b',
  'a\u0000b',
  'a\nb',
  'a\tb',
  '\u001b[31mred',
  'a\u202eb',
  'clüster',
  '名前',
  '🙂',
  'ａｂｃ',
  long(5_000),
];

/** Path traversal and shell/SQL/HTML injection, which strict names must also refuse. */
const INJECTIONS: string[] = [
  '..',
  '../../etc/passwd',
  '/etc/passwd',
  '~/.ssh/id_ed25519',
  '%2e%2e%2f',
  'a/b',
  'a\\b',
  '$(id)',
  '`id`',
  'a;rm -rf ~',
  'a|cat /etc/shadow',
  'a&&id',
  "a' OR '1'='1",
  '-rf',
  '--help',
  '<script>alert(1)</script>',
  '*',
  '.hidden',
];

/** For names and ids with the config's charset (`[A-Za-z0-9][A-Za-z0-9._-]*`, ≤ 64). */
export const BAD_NAMES: unknown[] = [...NOT_STRINGS, ...NEVER_AN_ID, ...INJECTIONS, long(65)];

/** Task ids: the same charset, up to 128 characters (they become log file names). */
export const BAD_TASK_IDS: unknown[] = [...NOT_STRINGS, ...NEVER_AN_ID, ...INJECTIONS, long(129)];

/** For job ids (printable ASCII, ≤ 300): injections of printable characters are merely unknown ids. */
export const BAD_JOB_IDS: unknown[] = [...NOT_STRINGS, ...NEVER_AN_ID, long(301)];

export const BAD_LOG_KINDS: unknown[] = [
  ...NOT_STRINGS,
  'stdout',
  'OUTPUT',
  'output ',
  '../output',
  '',
];

export const BAD_TAILS: unknown[] = [0, -1, 1.5, 10_001, 1e308, '10', null, true, [], {}];

/** Resume ids of log streams: opaque cursors (byte offsets, CloudWatch tokens) of at most 512 token characters. */
export const BAD_OFFSETS: unknown[] = [12, ' 1', '1.5', 'a b', 'x\n', 'é', 'x'.repeat(513), {}];

/** Whole inputs that are not the expected object. */
export const NOT_OBJECTS: unknown[] = ['x', 42, [], [{}], true];
