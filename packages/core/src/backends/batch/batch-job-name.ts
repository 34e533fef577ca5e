import { createHash } from 'node:crypto';

/** SubmitJob `jobName`: at most 128 characters, the first alphanumeric, then letters, digits, `-`, `_`. */
export const BATCH_JOB_NAME_MAX_CHARS = 128;
const TASK_NAME_MAX_CHARS = 80;
const TAG_MAX_CHARS = 40;
const TAG_SAFE = /^[A-Za-z0-9][A-Za-z0-9-]*$/;

/**
 * The tag as it starts a job name. ScriptHut's tags (`sh-<queue>-<position>-<hex>`)
 * are kept verbatim; any other (characters a name cannot hold, or too long)
 * becomes `h<hash>`, still one-to-one in practice and the same on every call.
 */
export function batchNameTag(tag: string): string {
  if (TAG_SAFE.test(tag) && tag.length <= TAG_MAX_CHARS) return tag;
  return `h${createHash('sha256').update(tag).digest('hex').slice(0, 32)}`;
}

/**
 * `<tag>_<task name>`, e.g. `sh-1a2b3c4d-7-9f00aa11_train_resnet`. The tag
 * comes first because ListJobs can only filter names by prefix (`<tag>*`),
 * which is how findByTags finds a job after a crash; `_` never occurs in a
 * name tag, so the prefix cannot match a longer tag. The task name is
 * sanitised to `[A-Za-z0-9_-]` (runs of other characters become one `_`)
 * and cut to 80 characters: it is for people reading the AWS console.
 */
export function batchJobName(tag: string, taskName: string): string {
  const head = batchNameTag(tag);
  const room = Math.min(TASK_NAME_MAX_CHARS, BATCH_JOB_NAME_MAX_CHARS - head.length - 1);
  const rest = taskName
    .replace(/[^A-Za-z0-9_-]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, room)
    .replace(/_+$/, '');
  return rest === '' ? head : `${head}_${rest}`;
}

/** True when `jobName` was made by `batchJobName` from `tag`. */
export function isJobNameOfTag(jobName: string, tag: string): boolean {
  const head = batchNameTag(tag);
  return jobName === head || jobName.startsWith(`${head}_`);
}
