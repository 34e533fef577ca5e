import { execFile, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { GitSourceConfig } from '../packages/core/src/config/schema';
import { GitHttpServer, UpstreamRepo } from '../packages/core/src/git/testing';
import type { ChildJob, ChildResult } from './src/git-sync-child';
import type { Benchmark, SummaryRow } from './src/benchmark';
import { fmtMs, note, printTable } from './src/report';
import { readTestbed } from './src/testbed';

/**
 * Git sources on a large repository: clone (our streaming pack indexer),
 * fast-forward (isomorphic-git) and no-op sync, over the project's SSH transport and over HTTP, each in a
 * fresh Node process so its peak RSS is its own, beside `git` itself doing the
 * same over the same servers. The child is bundled and run by plain Node, as
 * the server is (see bundleChild). Run alone: `pnpm --filter @scripthut/bench exec tsx git-clone.ts`.
 */
const FILES = 5_000;
const COMMITS = 20;
/** Random base64 text per file: ~9 KB, so the pack is ~45 MB and barely compresses. */
const FILE_RANDOM_BYTES = 6_750;
const CHANGED_FILES = 100;

const run = promisify(execFile);
const CHILD_SOURCE = fileURLToPath(new URL('./src/git-sync-child.ts', import.meta.url));
/**
 * Under node_modules of core, so the modules left external (ssh2, as in the
 * server's bundle) resolve as they do there.
 */
const CHILD = fileURLToPath(
  new URL(
    '../packages/core/node_modules/.cache/scripthut-bench/git-sync-child.mjs',
    import.meta.url,
  ),
);

/**
 * The child bundled the way packages/api's build bundles the server (esbuild,
 * ssh2 external), and run by plain Node: under tsx, its loader thread alone
 * adds about 40 MB to every process, which the server never carries.
 */
async function bundleChild(): Promise<void> {
  await build({
    entryPoints: [CHILD_SOURCE],
    outfile: CHILD,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['ssh2', 'cpu-features', 'better-sqlite3'],
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
    logLevel: 'error',
  });
}

/** One sync in a fresh Node process, running the bundled child without tsx. */
function inChild(job: ChildJob): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = fork(CHILD, [JSON.stringify(job)], {
      execArgv: [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.once('message', (message) => resolve(message as ChildResult));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`benchmark child exited with ${code}`));
    });
  });
}

/** `git` itself, timed by GNU time: wall seconds and the largest process's peak RSS (index-pack, usually). */
async function gitBaseline(
  args: string[],
  env: Record<string, string>,
): Promise<{ wallMs: number; maxRssMb: number }> {
  const { stderr } = await run('/usr/bin/time', ['-f', '@@ %e %M', 'git', ...args], {
    env: { PATH: '/usr/bin:/bin', HOME: tmpdir(), ...env },
    maxBuffer: 16 * 1024 * 1024,
  });
  const match = /@@ ([\d.]+) (\d+)\s*$/.exec(stderr);
  if (!match) throw new Error(`cannot read GNU time output: ${stderr.slice(-300)}`);
  return { wallMs: Number(match[1]) * 1000, maxRssMb: Number(match[2]) / 1024 };
}

async function buildRepository(bareDir: string, owner: string): Promise<UpstreamRepo> {
  const repo = await UpstreamRepo.create(bareDir, { owner });
  const perCommit = Math.ceil(FILES / COMMITS);
  for (let c = 0; c < COMMITS; c++) {
    const files: Record<string, string> = {};
    for (let i = c * perCommit; i < Math.min(FILES, (c + 1) * perCommit); i++) {
      files[`data/d${i % 50}/f${i}.txt`] = randomBytes(FILE_RANDOM_BYTES).toString('base64');
    }
    await repo.commit(files, `add files ${c}`, false);
  }
  await repo.push(false);
  return repo;
}

async function changeFiles(repo: UpstreamRepo, round: number): Promise<string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < CHANGED_FILES; i++)
    files[`data/d${i % 50}/f${i * 7 + round}.txt`] =
      randomBytes(FILE_RANDOM_BYTES).toString('base64');
  return repo.commit(files, `change ${CHANGED_FILES} files (${round})`);
}

async function packMb(bareDir: string): Promise<number> {
  const dir = join(bareDir, 'objects', 'pack');
  const sizes = await Promise.all(
    (await readdir(dir)).map(async (f) => (await stat(join(dir, f))).size),
  );
  return sizes.reduce((a, b) => a + b, 0) / 1024 / 1024;
}

const mb = (n: number): string => `${n.toFixed(0)} MB`;

export const benchmark: Benchmark = {
  name: 'git',
  title: `git sources: clone / fast-forward / no-op sync of a ${FILES.toLocaleString('en-US')}-file repository (ScriptHut vs git)`,
  async run(): Promise<SummaryRow[]> {
    const bed = readTestbed();
    const gitUser = 'hutgit';
    const key = bed.keys[gitUser];
    if (!key)
      throw new Error('The testbed has no git account (HUT_KEY_hutgit): run `bash testbed/up.sh`.');
    const home = `/home/${gitUser}`;
    const bareDir = join(home, 'bench-large.git');
    const work = await mkdtemp(join(tmpdir(), 'bench-git-'));
    const server = await GitHttpServer.start(home);
    let repo: UpstreamRepo | null = null;
    try {
      const built = performance.now();
      repo = await buildRepository(bareDir, gitUser);
      note(
        `repository: ${FILES} files in ${COMMITS} commits, pack ${(await packMb(bareDir)).toFixed(1)} MB (built in ${fmtMs(performance.now() - built)})`,
      );
      const sshUrl = `ssh://${gitUser}@${bed.host}:${bed.port}${bareDir}`;
      const ssh = GitSourceConfig.parse({
        name: 'bench-ssh',
        url: sshUrl,
        deploy_key: key,
        known_hosts: bed.knownHosts,
      });
      const http = GitSourceConfig.parse({
        name: 'bench-http',
        url: server.url('bench-large.git'),
      });
      const sshEnv = {
        GIT_SSH_COMMAND: `ssh -i ${key} -o UserKnownHostsFile=${bed.knownHosts} -o StrictHostKeyChecking=yes -o BatchMode=yes`,
      };

      await bundleChild();
      const idle = await inChild({ source: ssh, cacheDir: join(work, 'idle'), idle: true });
      const sshClone = await inChild({ source: ssh, cacheDir: join(work, 'ssh') });
      const noop = await inChild({ source: ssh, cacheDir: join(work, 'ssh') });
      const head = await changeFiles(repo, 1);
      const ff = await inChild({ source: ssh, cacheDir: join(work, 'ssh') });
      const httpClone = await inChild({ source: http, cacheDir: join(work, 'http') });
      for (const r of [sshClone, noop, ff, httpClone]) if (r.error) throw new Error(r.error);
      if (ff.sha !== head) throw new Error(`fast-forward ended at ${ff.sha}, expected ${head}`);

      const gitSsh = await gitBaseline(
        ['clone', '-q', '--single-branch', sshUrl, join(work, 'git-ssh')],
        sshEnv,
      );
      const gitNoop = await gitBaseline(
        ['-C', join(work, 'git-ssh'), 'pull', '-q', '--ff-only'],
        sshEnv,
      );
      await changeFiles(repo, 2);
      const gitFf = await gitBaseline(
        ['-C', join(work, 'git-ssh'), 'pull', '-q', '--ff-only'],
        sshEnv,
      );
      const gitHttp = await gitBaseline(
        ['clone', '-q', '--single-branch', server.url('bench-large.git'), join(work, 'git-http')],
        {},
      );

      const rows: [
        string,
        { wallMs: number; maxRssMb: number },
        { wallMs: number; maxRssMb: number },
      ][] = [
        ['clone over SSH', sshClone, gitSsh],
        [`fast-forward (${CHANGED_FILES} files changed)`, ff, gitFf],
        ['no-op sync', noop, gitNoop],
        ['clone over HTTP', httpClone, gitHttp],
      ];
      printTable(
        ['operation', 'ScriptHut time', 'peak RSS', 'git time', 'git peak RSS (largest process)'],
        rows.map(([what, ours, theirs]) => [
          what,
          fmtMs(ours.wallMs),
          mb(ours.maxRssMb),
          fmtMs(theirs.wallMs),
          mb(theirs.maxRssMb),
        ]),
      );
      note(
        `a Node process with the git modules loaded and nothing synced peaks at ${mb(idle.maxRssMb)}`,
      );
      return rows.map(([what, ours, theirs]) => ({
        metric: `git ${what}`,
        measured: `${fmtMs(ours.wallMs)}, ${mb(ours.maxRssMb)}`,
        baseline: `git ${fmtMs(theirs.wallMs)}, ${mb(theirs.maxRssMb)}`,
        verdict: `${(ours.wallMs / theirs.wallMs).toFixed(1)}× time`,
      }));
    } finally {
      await server.close();
      await repo?.dispose();
      await rm(work, { recursive: true, force: true });
    }
  },
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  benchmark.run().then(
    () => process.exit(0),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
