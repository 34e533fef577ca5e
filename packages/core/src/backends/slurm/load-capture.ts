import { readFileSync, readdirSync } from 'node:fs';
import type { CommandResult } from '../../runtime/command-runner';

/** Test support: the captures written by capture-fixtures.sh. */
const dir = new URL('./__fixtures__/', import.meta.url);
const read = (file: string): string => readFileSync(new URL(file, dir), 'utf8');

export interface Capture extends CommandResult {
  name: string;
  command: string;
}

export function loadCapture(name: string): Capture {
  const rc = read(`${name}.rc`).trim();
  return {
    name,
    command: read(`${name}.cmd`),
    stdout: read(`${name}.stdout`),
    stderr: read(`${name}.stderr`),
    exitCode: Number(rc),
    signal: null,
    durationMs: 0,
  };
}

export function captureNames(): string[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.cmd'))
    .map((file) => file.slice(0, -'.cmd'.length))
    .sort();
}

/** Scenario name -> the job id it got in the capture run. */
export function capturedJobIds(): Record<string, string> {
  return JSON.parse(read('jobs.json')) as Record<string, string>;
}

export function jobIdOf(scenario: string): string {
  const id = capturedJobIds()[scenario];
  if (id === undefined) throw new Error(`no captured job for scenario ${scenario}`);
  return id;
}
