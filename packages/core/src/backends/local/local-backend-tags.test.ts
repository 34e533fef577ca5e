import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../runtime/clock';
import type { SubmitSpec } from '../backend';
import { LocalBackend } from './local-backend';
import { renderLocalScript } from './render-local-script';

const spec = (root: string, tag: string): SubmitSpec => ({
  tag,
  name: 'job',
  command: 'echo "it\'s $((1+1))"',
  workingDir: '~/w d',
  partition: null,
  cpus: 1,
  memory: '1G',
  timeLimit: '1:00:00',
  account: null,
  stdoutPath: join(root, 'logs', `${tag}.out`),
  stderrPath: join(root, 'logs', `${tag}.err`),
});

describe('LocalBackend.findByTags', () => {
  it('finds jobs by the tag they were submitted with, after a restart too', async () => {
    const root = mkdtempSync(join(tmpdir(), 'scripthut-local-tags-'));
    const make = () => new LocalBackend({ root: join(root, 'state'), homeDir: root, user: 'me', clock: systemClock });
    const first = make();
    const a = await first.submit(spec(root, 'tag-a'));
    const b = await first.submit(spec(root, 'tag-b'));
    const ids = [a, b].map((r) => (r.kind === 'submitted' ? r.schedulerJobId : ''));
    const found = await make().findByTags(['tag-a', 'tag-b', 'tag-never']);
    expect(found).toEqual(new Map([['tag-a', ids[0]], ['tag-b', ids[1]]]));
  });

  it('runs exactly the script renderLocalScript shows', async () => {
    const root = mkdtempSync(join(tmpdir(), 'scripthut-local-tags-'));
    const backend = new LocalBackend({ root: join(root, 'state'), homeDir: root, user: 'me', clock: systemClock });
    const s = spec(root, 'tag-s');
    const r = await backend.submit(s);
    const id = r.kind === 'submitted' ? r.schedulerJobId : '';
    expect(readFileSync(join(root, 'state', 'jobs', id, 'script.sh'), 'utf8')).toBe(renderLocalScript(s));
    expect(renderLocalScript(s)).toBe(`set -o pipefail\ncd "$HOME"/'w d' || exit 1\necho "it's $((1+1))"\n`);
  });
});
