import { describe, expect, it } from 'vitest';
import { expandOutputPath } from './expand-output-path';

const ctx = { schedulerJobId: '123', user: 'alice', name: 'train', node: 'node7' };

describe('expandOutputPath', () => {
  it.each([
    ['/home/alice/slurm-%j.out', '/home/alice/slurm-123.out'],
    ['/scratch/%u/%x-%j.log', '/scratch/alice/train-123.log'],
    ['/x/%8j.out', '/x/00000123.out'],
    ['/x/100%%-%N.out', '/x/100%-node7.out'],
    ['/x/plain.out', '/x/plain.out'],
  ])('fills %s', (pattern, expected) => {
    expect(expandOutputPath(pattern, ctx)).toEqual({ ok: true, path: expected });
  });

  it('fills array patterns for an array task', () => {
    expect(expandOutputPath('/x/slurm-%A_%a.out', { ...ctx, schedulerJobId: '123_4' })).toEqual({
      ok: true,
      path: '/x/slurm-123_4.out',
    });
  });

  it('refuses to guess %j of an array task', () => {
    const r = expandOutputPath('/x/%j.out', { ...ctx, schedulerJobId: '123_4' });
    expect(r.ok).toBe(false);
  });

  it('refuses %N before the job has a node', () => {
    expect(expandOutputPath('/x/%N.out', { ...ctx, node: null }).ok).toBe(false);
  });
});
