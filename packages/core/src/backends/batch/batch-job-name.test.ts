import { describe, expect, it } from 'vitest';
import {
  BATCH_JOB_NAME_MAX_CHARS,
  batchJobName,
  batchNameTag,
  isJobNameOfTag,
} from './batch-job-name';

const VALID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

describe('batchJobName', () => {
  it.each([
    ['sh-1a2b3c4d-7-9f00aa11', 'train resnet (v2)', 'sh-1a2b3c4d-7-9f00aa11_train_resnet_v2'],
    ['sh-1a2b3c4d-7-9f00aa11', '  ', 'sh-1a2b3c4d-7-9f00aa11'],
    ['sh-1a2b3c4d-7-9f00aa11', 'données/étape 1', 'sh-1a2b3c4d-7-9f00aa11_donn_es_tape_1'],
    ['sh-1a2b3c4d-7-9f00aa11', '__x__', 'sh-1a2b3c4d-7-9f00aa11_x'],
  ])('%s + %j -> %s', (tag, name, jobName) => {
    expect(batchJobName(tag, name)).toBe(jobName);
  });

  it("keeps names within the model's pattern and 128 characters, the task name to 80", () => {
    const name = batchJobName('sh-1a2b3c4d-7-9f00aa11', 'x'.repeat(300));
    expect(name).toMatch(VALID);
    expect(name.length).toBe('sh-1a2b3c4d-7-9f00aa11_'.length + 80);
    for (const tag of ['_odd tag', 'é', 'a'.repeat(200), 'sh-q-1-ff']) {
      const n = batchJobName(tag, '!!!'.repeat(100));
      expect(n).toMatch(VALID);
      expect(n.length).toBeLessThanOrEqual(BATCH_JOB_NAME_MAX_CHARS);
    }
  });

  it('hashes tags a name cannot hold, the same way every time', () => {
    expect(batchNameTag('my tag')).toMatch(/^h[0-9a-f]{32}$/);
    expect(batchNameTag('my tag')).toBe(batchNameTag('my tag'));
    expect(batchNameTag('my tag')).not.toBe(batchNameTag('my tag2'));
  });

  it('recognises its own names by tag, never a longer tag sharing the prefix', () => {
    expect(isJobNameOfTag('sh-q-1-ff_train', 'sh-q-1-ff')).toBe(true);
    expect(isJobNameOfTag('sh-q-1-ff', 'sh-q-1-ff')).toBe(true);
    expect(isJobNameOfTag('sh-q-1-ff0_train', 'sh-q-1-ff')).toBe(false);
    expect(isJobNameOfTag('sh-q-1-ff-2_train', 'sh-q-1-ff')).toBe(false);
  });
});
