import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitCli } from '../testing/git-cli';
import { encodeIdx } from './idx-file';
import { completeIndex, indexPack } from './pack-index';
import { PackReceiver } from './pack-receiver';
import { readObject } from './object-store';
import { PackFile } from './pack-file';

const git = async (cwd: string, args: string[], input?: string): Promise<string> =>
  (await gitCli(cwd, args, input)).toString();

let work: string;

/** A repository whose files change a little in every commit, so git stores most blobs as deltas. */
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'pack-index-'));
  await git(work, ['init', '-q', '-b', 'main', 'repo']);
  const repo = join(work, 'repo');
  const lines = Array.from({ length: 400 }, (_, i) => `line ${i} ${'x'.repeat(i % 60)}`);
  for (let c = 0; c < 30; c++) {
    for (let f = 0; f < 5; f++) {
      lines[(c * 13 + f * 7) % lines.length] = `changed in ${c} for ${f}`;
      await writeFile(join(repo, `file${f}.txt`), lines.join('\n') + `\n${f}\n`);
    }
    await git(repo, ['add', '-A']);
    await git(repo, ['commit', '-q', '-m', `commit ${c}`]);
  }
}, 60_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** A pack of every object, made by git pack-objects; returns its path. */
async function makePack(prefix: string, options: string[]): Promise<string> {
  const repo = join(work, 'repo');
  const objects = await git(repo, ['rev-list', '--objects', '--all']);
  const out = join(work, prefix);
  const name = (await git(repo, ['pack-objects', '-q', ...options, out], objects)).trim();
  return `${out}-${name}.pack`;
}

describe('indexPack', () => {
  it.each([
    ['OFS_DELTA', ['--delta-base-offset']],
    ['REF_DELTA', []],
  ])(
    'writes the same .idx as git index-pack for a pack with %s entries',
    async (_kind, options) => {
      const packPath = await makePack(`p${options.length}`, options);
      const verify = await git(work, ['verify-pack', '-v', packPath]);
      expect(verify).toMatch(/chain length = [1-9]/);

      const indexed = await indexPack(packPath);
      const gitIdx = join(work, `git-${options.length}.idx`);
      await git(work, ['index-pack', '-o', gitIdx, packPath]);
      expect(encodeIdx(indexed).equals(await readFile(gitIdx))).toBe(true);
    },
  );

  it.each([
    ['indexed as it arrives', undefined],
    ['indexed from the file after an entry larger than the held bytes', 2048],
  ])(
    'writes the pack it receives in uneven chunks, %s, with the .idx git index-pack writes',
    async (_how, maxHeldBytes) => {
      const packPath = await makePack(`r${maxHeldBytes ?? 0}`, ['--delta-base-offset']);
      const bytes = await readFile(packPath);
      const received = join(work, `received-${maxHeldBytes ?? 0}.pack`);
      const file = await open(received, 'wx');
      let result;
      try {
        const receiver = new PackReceiver(file, null, maxHeldBytes);
        for (
          let at = 0, step = 1;
          at < bytes.length;
          at += step, step = ((step * 7 + 3) % 5000) + 1
        )
          await receiver.push(bytes.subarray(at, at + step));
        result = await receiver.finish();
      } finally {
        await file.close();
      }
      expect((await readFile(received)).equals(bytes)).toBe(true);
      expect(result.next.index < result.count).toBe(maxHeldBytes !== undefined);
      const indexed = await completeIndex(received, result);
      const gitIdx = join(work, `git-r${maxHeldBytes ?? 0}.idx`);
      await git(work, ['index-pack', '-o', gitIdx, packPath]);
      expect(encodeIdx(indexed).equals(await readFile(gitIdx))).toBe(true);
    },
  );

  it('refuses a received pack whose checksum does not match', async () => {
    const bytes = await readFile(await makePack('rbad', ['--delta-base-offset']));
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0xff;
    const file = await open(join(work, 'received-bad.pack'), 'wx');
    try {
      const receiver = new PackReceiver(file);
      await receiver.push(bytes);
      await expect(receiver.finish()).rejects.toThrow(/checksum/);
    } finally {
      await file.close();
    }
  });

  it('reads back every object with the content git cat-file gives', async () => {
    const packPath = await makePack('read', ['--delta-base-offset']);
    const indexed = await indexPack(packPath);
    const byOid = new Map(indexed.objects.map((o) => [o.oid.toString('hex'), o.offset]));
    const pack = await PackFile.open(packPath, (oid) => byOid.get(oid), 4096);
    try {
      const repo = join(work, 'repo');
      const head = (await git(repo, ['rev-parse', 'HEAD~7:file3.txt'])).trim();
      const object = await pack.object(byOid.get(head) ?? -1);
      expect(object.type).toBe('blob');
      expect(object.data.toString()).toBe(await git(repo, ['cat-file', 'blob', head]));
    } finally {
      await pack.close();
    }
  });

  it('refuses a pack whose checksum does not match', async () => {
    const packPath = await makePack('bad', ['--delta-base-offset']);
    const bytes = await readFile(packPath);
    bytes[bytes.length - 30] = (bytes[bytes.length - 30] ?? 0) ^ 0xff;
    const broken = join(work, 'broken.pack');
    await writeFile(broken, bytes);
    await expect(indexPack(broken)).rejects.toThrow(/checksum|inflate/);
  });

  it('reads an object loose, and packed through the .idx, as git cat-file gives it', async () => {
    const repo = join(work, 'repo');
    const oid = (await git(repo, ['rev-parse', 'HEAD~3:file2.txt'])).trim();
    const expected = await git(repo, ['cat-file', 'blob', oid]);
    expect((await readObject(join(repo, '.git'), oid)).data.toString()).toBe(expected);
    const packed = join(work, 'packed.git');
    await git(work, ['clone', '-q', '--bare', repo, packed]);
    await git(packed, ['repack', '-adq']);
    await git(packed, ['prune-packed']);
    const object = await readObject(packed, oid);
    expect(object).toMatchObject({ type: 'blob' });
    expect(object.data.toString()).toBe(expected);
    await expect(readObject(packed, '0'.repeat(40))).rejects.toThrow(/is not in/);
  });
});
