import { CoreError } from '../runtime/errors';

/** One problem in a config file, located as precisely as the file allows. */
export interface ConfigIssue {
  file: string;
  line: number | null;
  column: number | null;
  /** Dotted field path, e.g. `clusters[0].ssh.port`. Empty for the whole file. */
  path: string;
  message: string;
}

export const formatIssue = (i: ConfigIssue): string => {
  const where = i.line === null ? i.file : `${i.file}:${i.line}:${i.column ?? 1}`;
  return i.path ? `${where}: ${i.path}: ${i.message}` : `${where}: ${i.message}`;
};

/** A config file that cannot be used. The message lists every issue, one per line. */
export class ConfigError extends CoreError {
  constructor(readonly issues: readonly ConfigIssue[]) {
    super(
      'CONFIG_INVALID',
      `Invalid configuration (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n` +
        issues.map((i) => `  ${formatIssue(i)}`).join('\n'),
      { issues },
    );
  }
}

export const formatPath = (path: readonly PropertyKey[]): string =>
  path
    .map((p, i) =>
      typeof p === 'number'
        ? `[${p}]`
        : // A key that is not a plain word is quoted, so no key can break the message's lines.
          /^[A-Za-z_][\w-]*$/.test(String(p))
          ? `${i === 0 ? '' : '.'}${String(p)}`
          : `[${JSON.stringify(String(p))}]`,
    )
    .join('');
