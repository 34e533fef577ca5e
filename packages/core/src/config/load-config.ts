import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { closestMatch } from './closest-match';
import { ConfigError, formatPath, type ConfigIssue } from './config-error';
import { knownKeysAt } from './known-keys';
import { locate } from './locate';
import { expandPath } from './paths';
import { ScripthutConfig } from './schema';
import { checkReferences } from './check-references';
import { findControlChars } from './control-chars';
import { yamlToData } from './yaml-data';

export interface ConfigEnvironment {
  cwd: string;
  homeDir: string;
  /** Defaults to the real filesystem; tests may pass a fake. */
  fileExists?: (path: string) => boolean;
}

export interface LoadedConfig {
  config: ScripthutConfig;
  /** The file read, or null when none exists and defaults apply. */
  path: string | null;
}

/** A config is a few KB; anything this large is a mistake or an attack. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

export const DEFAULT_CONFIG_FILES = ['scripthut.yaml', 'scripthut.yml'] as const;

/**
 * `--config PATH` when given (it must exist), else `./scripthut.yaml`, else
 * `./scripthut.yml`, else null.
 */
export function findConfigFile(explicitPath: string | undefined, env: ConfigEnvironment): string | null {
  const exists = env.fileExists ?? existsSync;
  if (explicitPath !== undefined) {
    const path = expandPath(explicitPath, env.homeDir, env.cwd);
    if (!exists(path)) {
      throw new ConfigError([
        { file: path, line: null, column: null, path: '', message: 'file not found (given with --config)' },
      ]);
    }
    return path;
  }
  for (const name of DEFAULT_CONFIG_FILES) {
    const path = resolve(env.cwd, name);
    if (exists(path)) return path;
  }
  return null;
}

export function loadConfig(explicitPath: string | undefined, env: ConfigEnvironment): LoadedConfig {
  const path = findConfigFile(explicitPath, env);
  if (path === null) return { config: ScripthutConfig.parse({}), path: null };
  let text: string;
  try {
    if (statSync(path).size > MAX_CONFIG_BYTES) {
      throw new ConfigError([{ file: path, line: null, column: null, path: '', message: `larger than ${MAX_CONFIG_BYTES} bytes; a config file is a few KB` }]);
    }
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    const reason = (e as NodeJS.ErrnoException).code === 'EACCES' ? 'permission denied' : String(e);
    throw new ConfigError([{ file: path, line: null, column: null, path: '', message: `cannot read: ${reason}` }]);
  }
  return { config: parseConfig(text, path, env), path };
}

/** Parse and validate config text. Throws ConfigError listing every problem with its line. */
export function parseConfig(text: string, file: string, env: ConfigEnvironment): ScripthutConfig {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((e) => {
        const { line, col } = counter.linePos(e.pos[0]);
        return { file, line, column: col, path: '', message: `YAML syntax: ${yamlMessage(e.message)}` };
      }).filter((issue, i, all) => all.findIndex((o) => o.line === issue.line && o.message === issue.message) === i),
    );
  }
  const converted = yamlToData(doc, counter);
  if (!converted.ok) {
    throw new ConfigError([{ file, line: converted.line, column: converted.column, path: '', message: converted.message }]);
  }
  const data: unknown = converted.data ?? {};
  const issueAt = (path: readonly PropertyKey[], message: string, keyOnly = false): ConfigIssue => {
    const loc = locate(doc, counter, path, keyOnly);
    return { file, line: loc?.line ?? null, column: loc?.column ?? null, path: formatPath(path), message };
  };
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new ConfigError([issueAt([], 'expected a mapping with clusters, sources, task_sources, settings')]);
  }
  const controls = findControlChars(data);
  if (controls.length > 0) {
    throw new ConfigError(
      controls.map((c) => issueAt(c.path, `contains the control character ${c.codePoint}${c.inKey ? ' in the key' : ''}; remove it`, c.inKey)),
    );
  }
  const parsed = ScripthutConfig.safeParse(data);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.flatMap((i) => describeIssue(i, data, issueAt)));
  }
  const problems = checkReferences(parsed.data, {
    fileExists: env.fileExists ?? existsSync,
    resolvePath: (p) => expandPath(p, env.homeDir, env.cwd),
  });
  if (problems.length > 0) {
    throw new ConfigError(problems.map((p) => issueAt(p.path, p.message)));
  }
  return parsed.data;
}

type IssueAt = (path: readonly PropertyKey[], message: string, keyOnly?: boolean) => ConfigIssue;

function describeIssue(issue: z.core.$ZodIssue, data: unknown, issueAt: IssueAt): ConfigIssue[] {
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = knownKeysAt(ScripthutConfig, data, issue.path);
      return issue.keys.map((key) => {
        const guess = closestMatch(key, known);
        const hint = guess ? ` (did you mean "${guess}"?)` : known.length ? ` (allowed: ${known.join(', ')})` : '';
        return issueAt([...issue.path, key], `unknown key ${JSON.stringify(key)}${hint}`, true);
      });
    }
    case 'invalid_type': {
      const given = valueAt(data, issue.path);
      if (typeof given === 'number' && !Number.isFinite(given)) return [issueAt(issue.path, `expected a finite ${issue.expected}; the value is too large`)];
      const missing = /received undefined/.test(issue.message);
      return [issueAt(issue.path, missing ? `required, expected ${issue.expected}` : `expected ${issue.expected}`)];
    }
    case 'invalid_union': {
      if ('discriminator' in issue && Array.isArray((issue as { options?: unknown }).options)) {
        const options = (issue as unknown as { options: string[] }).options;
        const given = valueAt(data, issue.path);
        const guess = typeof given === 'string' ? closestMatch(given, options) : null;
        const hint = guess ? ` (did you mean "${guess}"?)` : '';
        return [issueAt(issue.path, `must be one of ${options.map((o) => `"${o}"`).join(', ')}${hint}`)];
      }
      return [issueAt(issue.path, issue.message)];
    }
    default:
      return [issueAt(issue.path, issue.message)];
  }
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<PropertyKey, unknown> | undefined)?.[k], data);
}

const firstLine = (s: string): string => s.split('\n')[0] ?? s;

const yamlMessage = (s: string): string =>
  /Maximum call stack/i.test(s) ? 'nested too deeply' : firstLine(s);
