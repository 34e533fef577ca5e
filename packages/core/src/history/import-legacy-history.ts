import { readFile } from 'node:fs/promises';
import type { Job } from '../domain/job';
import { CoreError, isCoreError } from '../runtime/errors';
import type { HistoryStore } from './history-store';
import {
  LegacyHistoryFile,
  legacyJobToJob,
  legacyQueueToRecord,
  legacyTime,
} from './legacy-history';
import type { QueueRecord } from './types';

/** Meta key set, in the import's own transaction, once a legacy file has been imported. */
export const LEGACY_IMPORT_META_KEY = 'legacy_import_done';

export interface LegacyImportResult {
  /** `no-file`: nothing at the path (not marked done, so a file copied there later is still imported). */
  status: 'imported' | 'already-done' | 'no-file';
  /** Jobs inserted; jobs whose id the store already had are left as they are. */
  jobs: number;
  queues: number;
  /** Entries that could not become a job or queue (no cluster, no scheduler id, not an object…). */
  skipped: number;
}

export interface LegacyImportOptions {
  /** Fallback for records with no usable time at all; defaults to the file's `saved_at`, then now. */
  now?: Date;
}

/**
 * Imports the original ScriptHut v0.1 `job_history.json` into the store,
 * exactly once: the jobs, queues and the done-marker are written in one
 * transaction. A file that is not valid JSON or not a v1 history is an
 * INVALID_INPUT error naming the path, and nothing is marked done.
 */
export async function importLegacyHistory(
  store: HistoryStore,
  jsonPath: string,
  options: LegacyImportOptions = {},
): Promise<LegacyImportResult> {
  const empty = { jobs: 0, queues: 0, skipped: 0 };
  if ((await store.getMeta(LEGACY_IMPORT_META_KEY)) !== null) return { status: 'already-done', ...empty };

  let content: string;
  try {
    content = await readFile(jsonPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'no-file', ...empty };
    throw invalid(jsonPath, `cannot be read: ${(error as Error).message}`, error);
  }
  const file = parseFile(jsonPath, content);
  const now = (options.now ?? new Date()).toISOString();
  const fallbackTime = file.savedAt ?? now;

  const jobs: Job[] = [];
  for (const entry of file.jobs) {
    const job = legacyJobToJob(entry, fallbackTime);
    if (job !== null) jobs.push(job);
  }
  const queues: QueueRecord[] = [];
  for (const entry of file.queues) {
    const queue = legacyQueueToRecord(entry, jobs, fallbackTime);
    if (queue !== null) queues.push(queue);
  }
  const skipped = file.jobs.length - jobs.length + (file.queues.length - queues.length);
  const marker = JSON.stringify({
    path: jsonPath,
    importedAt: now,
    jobs: jobs.length,
    queues: queues.length,
    skipped,
  });
  try {
    const inserted = await store.importLegacy(jobs, queues, LEGACY_IMPORT_META_KEY, marker);
    return { status: 'imported', jobs: inserted, queues: queues.length, skipped };
  } catch (error) {
    // Another process imported between our check and our write: its import stands.
    if (
      isCoreError(error) &&
      error.code === 'CONFLICT' &&
      (await store.getMeta(LEGACY_IMPORT_META_KEY)) !== null
    ) {
      return { status: 'already-done', ...empty };
    }
    throw error;
  }
}

function parseFile(
  path: string,
  content: string,
): { savedAt: string | null; jobs: unknown[]; queues: unknown[] } {
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch (error) {
    throw invalid(path, `is not valid JSON: ${(error as Error).message}`, error);
  }
  const parsed = LegacyHistoryFile.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw invalid(
      path,
      `is not a ScriptHut v0.1 history file (version 1 with jobs and queues lists): ${issues}`,
    );
  }
  return {
    savedAt: legacyTime(parsed.data.saved_at),
    jobs: parsed.data.jobs,
    queues: parsed.data.queues,
  };
}

const invalid = (path: string, problem: string, cause?: unknown): CoreError =>
  new CoreError('INVALID_INPUT', `Legacy history ${path} ${problem}`, { path }, { cause });
