import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ENV = {
  PATH: '/usr/local/bin:/usr/bin:/bin',
  GIT_AUTHOR_NAME: 'a',
  GIT_AUTHOR_EMAIL: 'a@example.test',
  GIT_COMMITTER_NAME: 'a',
  GIT_COMMITTER_EMAIL: 'a@example.test',
  GIT_CONFIG_NOSYSTEM: '1',
  HOME: tmpdir(),
};

/** git (the binary) in `cwd` for pack fixtures, with a fixed author and no user config; `input` goes to stdin. */
export async function gitCli(cwd: string, args: string[], input?: string): Promise<Buffer> {
  const child = run('git', args, { cwd, env: ENV, encoding: 'buffer', maxBuffer: 64 << 20 });
  if (input !== undefined) child.child.stdin?.end(input);
  return (await child).stdout;
}
