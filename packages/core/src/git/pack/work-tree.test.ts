import {
  chmod,
  mkdir,
  mkdtemp,
  open,
  readFile,
  readlink,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitCli } from '../testing/git-cli';
import { PackFile } from './pack-file';
import { completeIndex } from './pack-index';
import { PackReceiver } from './pack-receiver';
import { WorkTreeWriter } from './work-tree';

const git = gitCli;

let work: string;
let repo: string;

/**
 * Nested directories, one blob at two paths, one subtree at two paths, an
 * executable, a symlink, and files changed over commits (so some blobs are deltas).
 */
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'work-tree-'));
  repo = join(work, 'repo');
  await git(work, ['init', '-q', '-b', 'main', 'repo']);
  const lines = Array.from({ length: 300 }, (_, i) => `line ${i}`);
  for (let c = 0; c < 8; c++) {
    lines[c * 11] = `changed in ${c}`;
    for (const dir of ['a/b', 'a/c', 'd']) {
      await mkdir(join(repo, dir), { recursive: true });
      await writeFile(join(repo, dir, 'text.txt'), `${dir}\n${lines.join('\n')}\n`);
    }
    for (const dir of ['same1', 'same2/deeper']) {
      await mkdir(join(repo, dir), { recursive: true });
      await writeFile(join(repo, dir, 'copy.txt'), `identical ${c}\n`);
    }
    await git(repo, ['add', '-A']);
    await git(repo, ['commit', '-q', '-m', `commit ${c}`]);
  }
  await writeFile(join(repo, 'run.sh'), '#!/bin/sh\necho hi\n');
  await chmod(join(repo, 'run.sh'), 0o755);
  await symlink('a/b/text.txt', join(repo, 'link'));
  await writeFile(join(repo, 'empty'), '');
  await git(repo, ['add', '-A']);
  await git(repo, ['commit', '-q', '-m', 'script, link, empty file']);
}, 60_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('WorkTreeWriter', () => {
  it('writes the files git checks out, most of them while the pack arrives', async () => {
    const tip = (await git(repo, ['rev-parse', 'HEAD'])).toString().trim();
    const bytes = await git(
      repo,
      ['pack-objects', '--revs', '--delta-base-offset', '--stdout'],
      'HEAD\n',
    );
    const out = join(work, 'out');
    await mkdir(out);
    let progress = 0;
    const writer = new WorkTreeWriter(out, tip, () => progress++);
    const packPath = join(work, 'received.pack');
    const file = await open(packPath, 'wx');
    let received;
    try {
      const receiver = new PackReceiver(file, writer);
      for (let at = 0; at < bytes.length; at += 700)
        await receiver.push(bytes.subarray(at, at + 700));
      received = await receiver.finish();
    } finally {
      await file.close();
    }
    await writer.settle();
    const early = progress;
    const indexed = await completeIndex(packPath, received);
    const offsets = new Map(indexed.objects.map((o) => [o.oid.toString('hex'), o.offset]));
    const offsetOf = (oid: string): number | undefined => offsets.get(oid);
    const pack = await PackFile.open(packPath, offsetOf);
    const entries = await writer.finish(pack, offsetOf).finally(() => pack.close());

    const listed = (await git(repo, ['ls-files', '-s'])).toString().trim().split('\n').sort();
    const ours = entries
      .map((e) => `${e.mode.toString(8)} ${e.oid.toString('hex')} 0\t${e.path}`)
      .sort();
    expect(ours).toEqual(listed);
    for (const entry of entries) {
      if (entry.mode === 0o120000) {
        expect(await readlink(join(out, entry.path))).toBe('a/b/text.txt');
        continue;
      }
      expect(
        (await readFile(join(out, entry.path))).equals(await readFile(join(repo, entry.path))),
        entry.path,
      ).toBe(true);
      expect(entry.stat?.size).toBe(BigInt((await readFile(join(repo, entry.path))).length));
    }
    expect(progress).toBe(entries.length);
    // Blobs that arrived whole after their tree were written from memory, the deltas after.
    expect(early).toBeGreaterThan(0);
    expect(early).toBeLessThan(entries.length);
  });
});
