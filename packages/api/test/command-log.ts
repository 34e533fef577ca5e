import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { CLI } from './server-process';

/** Test-only: what a real server process ran over SSH, logged from inside it. */

const TOOLS = ['squeue', 'sacct', 'sbatch', 'scancel'] as const;

export interface LoggedCommand {
  /** When the exec was sent (ms since the epoch). */
  at: number;
  command: string;
  /** The scheduler tool the command runs; null for shell helpers (task-source command, mkdir, cat). */
  tool: (typeof TOOLS)[number] | null;
  /** `poll`: the monitor's listing; `lookup`: a submission looked up by tag; null: anything else. */
  via: 'poll' | 'lookup' | null;
}

/**
 * Writes a module for `node --require` that logs every SSH exec of the
 * server (ssh2's Client.prototype.exec, the one place every command passes)
 * to the file `$SCRIPTHUT_TEST_COMMAND_LOG` names, with which backend call
 * asked for it (from the async stack). Returns its path.
 */
export function commandLogPreload(dir: string): string {
  const ssh2 = createRequire(CLI).resolve('ssh2');
  const path = join(dir, 'command-log-preload.cjs');
  writeFileSync(
    path,
    `const { appendFileSync } = require('node:fs');
const ssh2 = require(${JSON.stringify(ssh2)});
const exec = ssh2.Client.prototype.exec;
ssh2.Client.prototype.exec = function (command, ...rest) {
  const stack = new Error().stack || '';
  const via = /\\blistJobs\\b/.test(stack) ? 'poll' : /\\bfindByTags\\b/.test(stack) ? 'lookup' : null;
  appendFileSync(process.env.SCRIPTHUT_TEST_COMMAND_LOG, JSON.stringify({ at: Date.now(), command: String(command), via }) + '\\n');
  return exec.call(this, command, ...rest);
};
`,
  );
  return path;
}

export function readCommandLog(path: string): LoggedCommand[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const { at, command, via } = JSON.parse(line) as Omit<LoggedCommand, 'tool'>;
      const tool = TOOLS.find((t) => new RegExp(`\\b${t}\\b`).test(command)) ?? null;
      return { at, command, via, tool };
    });
}
