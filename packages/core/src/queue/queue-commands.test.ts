import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderLocalScript } from '../backends/local';
import { LocalCommandRunner } from '../runtime/local-command-runner';
import { jsonSource, localJobSpecs, queueTestbed, removeDir, tickUntil, type Testbed } from './testing';

/** Commands and working directories that break naive quoting; each must run exactly as bash runs it. */
const corpus: { id: string; command: string; working_dir?: string }[] = [
  { id: 'quotes', command: `echo 'single' "double" "it's" 'say "hi"'` },
  { id: 'subshell', command: 'echo $(echo sub) `echo tick` "$(echo "nested $(echo deep)")"' },
  { id: 'newlines', command: 'echo one\necho two\n\necho "three\nfour"' },
  { id: 'heredoc', command: "cat <<'SCRIPTHUT_EOF'\nEOF\n$HOME `x` $(y)\nSCRIPTHUT_EOF\necho after" },
  { id: 'tilde', command: 'echo ~ ~/x "~" pwd=$(pwd)', working_dir: '~' },
  { id: 'spaces', command: 'pwd; ls', working_dir: '~/dir with  spaces' },
  { id: 'unicode', command: 'echo "héllo wörld ✓ 日本語 🚀"', working_dir: '~/répertoire ✓' },
  { id: 'variables', command: 'X=1; echo "$X ${X}" \'$X\' $SCRIPTHUT_NOT_SET; set -- a b; echo "$#"' },
  { id: 'metachars', command: 'echo a; echo b && echo c || echo d; echo "|&;<>()"; echo \\$ \\\\ \\"' },
  { id: 'exit-early', command: 'echo before; exit 0; echo never' },
  { id: 'long', command: `X='${'ab'.repeat(50_000)}'; echo \${#X}; echo \${X:0:6}` },
];

let bed: Testbed;
let queueId: string;

beforeAll(async () => {
  bed = await queueTestbed({ sources: [jsonSource('evil', corpus.map((c) => ({ ...c, name: `Adversarial ${c.id}` })), { max_concurrent: 20 })] });
  mkdirSync(join(bed.dir, 'dir with  spaces'), { recursive: true });
  mkdirSync(join(bed.dir, 'répertoire ✓'), { recursive: true });
  await bed.service.start();
  queueId = (await bed.service.run('evil')).id;
  await tickUntil(bed, async () => (await bed.service.getQueue(queueId)).queue.status !== 'running' && (await bed.service.getQueue(queueId)).queue.status !== 'pending');
}, 30_000);
afterAll(async () => {
  await bed.close();
  await removeDir(bed.dir);
});

describe('adversarial task commands on the local backend', () => {
  it('runs the whole corpus to completion', async () => {
    expect((await bed.service.getQueue(queueId)).queue.status).toBe('completed');
  });

  it.each(corpus)('runs $id exactly as written', async ({ id, command, working_dir }) => {
    const cwd = (working_dir ?? '~').replace(/^~/, bed.dir);
    expect(existsSync(cwd)).toBe(true);
    const expected = await new LocalCommandRunner(cwd, { HOME: bed.dir, PATH: '/usr/local/bin:/usr/bin:/bin' }).run(`set -o pipefail\n${command}\n`);
    const log = await bed.service.downloadTaskLog(queueId, id, 'output');
    expect(log.exists).toBe(true);
    expect(log.content).toBe(expected.stdout);
    expect((await bed.service.getQueue(queueId)).tasks.find((t) => t.taskId === id)?.job?.exitCode).toBe(expected.exitCode);
  });

  it.each([
    ['quotes', `single double it's say "hi"\n`],
    ['long', '100000\nababab\n'],
    ['unicode', 'héllo wörld ✓ 日本語 🚀\n'],
    ['exit-early', 'before\n'],
  ])('gives %s the literal output expected', async (id, output) => {
    expect((await bed.service.downloadTaskLog(queueId, id, 'output')).content).toBe(output);
  });

  it('stores the exact script that ran and gives the backend the command byte for byte', async () => {
    const specs = new Map(localJobSpecs(bed.dir).map((s) => [s.name, s]));
    for (const c of corpus) {
      const spec = specs.get(`Adversarial ${c.id}`)!;
      expect(spec.command).toBe(c.command);
      expect(await bed.service.taskScript(queueId, c.id)).toBe(renderLocalScript(spec));
    }
  });
});
