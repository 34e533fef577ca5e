import fs from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import git, { type GitHttpRequest } from 'isomorphic-git';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../runtime/clock';
import { readTestbed, testbedTarget } from '../ssh/testing';
import { SshUploadPack } from './ssh-upload-pack';
import { UpstreamRepo } from './testing';

let env: Record<string, string>;
let dir: string;
let repo: UpstreamRepo;

function session(path: string): SshUploadPack {
  const user = env.HUT_GIT_USER ?? 'hutgit';
  return new SshUploadPack({
    source: 'race',
    target: testbedTarget(env, { user, keyPath: env[`HUT_KEY_${user}`] }),
    path,
    keyCache: {},
    clock: systemClock,
    signal: new AbortController().signal,
  });
}

beforeAll(async () => {
  env = await readTestbed();
  dir = await mkdtemp(join(tmpdir(), 'upload-pack-int-'));
  repo = await UpstreamRepo.create(`/home/${env.HUT_GIT_USER ?? 'hutgit'}/upload-pack-race.git`, {
    owner: env.HUT_GIT_USER ?? 'hutgit',
  });
});
afterAll(async () => {
  await repo.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('SSH upload-pack transport', () => {
  it('fetches the advertised snapshot even when the branch is force-pushed between advertisement and fetch', async () => {
    await repo.commit({ 'base.txt': 'base\n' }, 'base');
    const advertised = await repo.commit({ 'a.txt': 'advertised\n' }, 'advertised');
    const transport = session('~/upload-pack-race.git');
    let pushed = '';
    // A push lands after isomorphic-git read the refs and before it sends its wants.
    const http = {
      request: async (request: GitHttpRequest) => {
        const response = await transport.http.request(request);
        if ((request.method ?? 'GET') === 'GET')
          pushed = await repo.rewriteLast({ 'a.txt': 'rewritten\n' }, 'rewritten');
        return response;
      },
    };
    const target = join(dir, 'race');
    try {
      await git.clone({
        fs,
        http,
        dir: target,
        url: 'http::ssh://race',
        ref: 'main',
        singleBranch: true,
        noTags: true,
      });
    } finally {
      await transport.close();
    }
    expect(pushed).not.toBe(advertised);
    expect(await git.resolveRef({ fs, dir: target, ref: 'HEAD' })).toBe(advertised);
    expect(await readFile(join(target, 'a.txt'), 'utf8')).toBe('advertised\n');
    expect(transport.failure).toBeNull();
  });

  it('ends the upload-pack process and the connection when no fetch request follows the advertisement', async () => {
    await repo.commit({ 'b.txt': 'b\n' }, 'b');
    const transport = session('~/upload-pack-race.git');
    await git.getRemoteInfo({ http: transport.http, url: 'http::ssh://race' });
    const started = Date.now();
    await transport.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(transport.advertisedRefs?.get('refs/heads/main')).toBe(await repo.head());
  });
});
