/**
 * The host variables a job's process starts with. A container inherits
 * nothing from the host, but a local process needs PATH (and HOME for tools
 * such as pyenv shims) to find `bash` or `python3`; nothing else leaks in.
 */
export function baseEnvironment(): Record<string, string> {
  const keep = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'PYENV_ROOT', 'PYENV_VERSION'];
  const env: Record<string, string> = {};
  for (const key of keep) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return env;
}
