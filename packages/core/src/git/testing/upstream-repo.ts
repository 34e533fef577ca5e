import { execFile, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * git (the binary) for test fixtures only: upstream repositories are made and
 * changed with real git. Its config lives in a private HOME, because a local
 * push runs receive-pack without the GIT_CONFIG_* variables, and
 * safe.directory is needed there (the bare repositories belong to the git account).
 */
const GIT_CONFIG =
  '[user]\n\tname = Upstream Author\n\temail = upstream@example.test\n[safe]\n\tdirectory = *\n';
let gitHome: Promise<string> | null = null;

/**
 * One shared directory (same content for every test process), so none is left
 * behind per run. The file is replaced by a rename, never rewritten in place:
 * test processes start at once, and one reading it while another truncates it
 * would run git without a user (`git commit` then fails).
 */
function home(): Promise<string> {
  gitHome ??= (async () => {
    const dir = join(tmpdir(), 'scripthut-upstream-git-home');
    await mkdir(dir, { recursive: true });
    const staged = join(dir, `.gitconfig.${randomBytes(6).toString('hex')}.tmp`);
    await writeFile(staged, GIT_CONFIG);
    await rename(staged, join(dir, '.gitconfig'));
    return dir;
  })();
  return gitHome;
}

export interface UpstreamOptions {
  /** Unix account that must own the bare repository (the git account upload-pack runs as). */
  owner?: string;
  branch?: string;
}

/**
 * A bare repository plus a work tree that commits and pushes to it, like a
 * developer would. Every change re-applies ownership, so the git account can
 * serve it without git's "dubious ownership" refusal.
 */
export class UpstreamRepo {
  private constructor(
    readonly bareDir: string,
    readonly workDir: string,
    readonly branch: string,
    private readonly owner: string | undefined,
  ) {}

  static async create(bareDir: string, options: UpstreamOptions = {}): Promise<UpstreamRepo> {
    const branch = options.branch ?? 'main';
    await rm(bareDir, { recursive: true, force: true });
    await mkdir(dirname(bareDir), { recursive: true });
    await git(['init', '-q', '--bare', '-b', branch, bareDir]);
    const workDir = await mkdtemp(join(tmpdir(), 'upstream-work-'));
    await git(['init', '-q', '-b', branch, workDir]);
    await git(['-C', workDir, 'remote', 'add', 'origin', bareDir]);
    const repo = new UpstreamRepo(bareDir, workDir, branch, options.owner);
    await repo.chown();
    return repo;
  }

  /** Write (or, for null, delete) files, commit and push; returns the new commit id. */
  async commit(
    files: Record<string, string | Buffer | null>,
    message: string,
    push = true,
  ): Promise<string> {
    for (const [path, content] of Object.entries(files)) {
      const full = join(this.workDir, path);
      if (content === null) {
        await rm(full, { force: true });
      } else {
        await mkdir(dirname(full), { recursive: true });
        await writeFile(full, content);
      }
    }
    await git(['-C', this.workDir, 'add', '-A']);
    await git(['-C', this.workDir, 'commit', '-q', '--allow-empty', '-m', message]);
    if (push) await this.push(false);
    return this.head();
  }

  /** Replace the last commit with another one and force-push it (history rewritten upstream). */
  async rewriteLast(files: Record<string, string | null>, message: string): Promise<string> {
    await git(['-C', this.workDir, 'reset', '-q', '--hard', 'HEAD~1']);
    await this.commit(files, message, false);
    await this.push(true);
    return this.head();
  }

  async push(force: boolean): Promise<void> {
    await git([
      '-C',
      this.workDir,
      'push',
      '-q',
      ...(force ? ['--force'] : []),
      'origin',
      `HEAD:refs/heads/${this.branch}`,
    ]);
    await this.chown();
  }

  async head(): Promise<string> {
    return (await git(['-C', this.workDir, 'rev-parse', 'HEAD'])).trim();
  }

  /**
   * Bytes git-upload-pack sends for this repository to a client that wants
   * nothing (its ref advertisement, as over SSH; `--advertise-refs` would add
   * the stateless `no-done` capability HTTP uses).
   */
  advertisementBytes(): number {
    const { stdout } = spawnSync('git', ['-c', 'safe.directory=*', 'upload-pack', this.bareDir], {
      input: '0000',
      env: { PATH: '/usr/local/bin:/usr/bin:/bin', GIT_CONFIG_NOSYSTEM: '1' },
    });
    return stdout.length;
  }

  async dispose(): Promise<void> {
    await rm(this.workDir, { recursive: true, force: true });
    await rm(this.bareDir, { recursive: true, force: true });
  }

  private async chown(): Promise<void> {
    if (this.owner) await run('chown', ['-R', `${this.owner}:${this.owner}`, this.bareDir]);
  }
}

export async function git(args: string[], cwd?: string): Promise<string> {
  const env = {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    GIT_CONFIG_NOSYSTEM: '1',
    HOME: await home(),
  };
  const { stdout } = await run('git', args, { env, cwd, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}
