import { isAbsolute, resolve } from 'node:path';

/** Expand a leading `~` to `homeDir`; relative paths resolve against `baseDir`. */
export function expandPath(path: string, homeDir: string, baseDir: string): string {
  if (path === '~') return homeDir;
  if (path.startsWith('~/')) return resolve(homeDir, path.slice(2));
  return isAbsolute(path) ? path : resolve(baseDir, path);
}
