import { parseArgs, type ParseArgsConfig } from 'node:util';
import { JobState, RetryState } from '@scripthut/core';
import { CLIENT_COMMANDS, type ClientCommandName } from './client-usage';
import { findCommand } from './command-word';

export { findCommand };

export type ClientCommand =
  | { kind: 'jobs'; states?: JobState[]; cluster?: string; user?: string; text?: string; limit: number }
  | { kind: 'logs'; id: string; log: 'output' | 'error'; lines: number; follow: boolean }
  | { kind: 'run'; source: string; dryRun: boolean }
  | { kind: 'queues' }
  | { kind: 'cancel'; target: { job: string } | { queue: string } }
  | { kind: 'retry'; queue: string; states: RetryState[] }
  | { kind: 'token'; action: 'create' | 'list' | 'revoke'; arg: string | null; config?: string; user?: string }
  | { kind: 'help'; command: ClientCommandName };

/** Where and as whom the client talks: resolved from flags and the environment. */
export interface Connection {
  server: string;
  /** The bearer token, or null: none configured (fine on loopback without a login). */
  token: string | null;
  /** The variable the token came from, for messages. */
  tokenEnv: string;
}

export interface ClientInvocation {
  command: ClientCommand;
  connection: Connection;
  json: boolean;
}

export class ClientUsageError extends Error {
  constructor(
    message: string,
    /** The command whose help to show after the message; null: the top-level usage. */
    readonly command: ClientCommandName | null,
  ) {
    super(message);
  }
}

export const DEFAULT_SERVER = 'http://127.0.0.1:8000';
const GLOBAL = {
  server: { type: 'string' },
  'token-env': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

const OPTIONS = {
  jobs: { state: { type: 'string' }, cluster: { type: 'string' }, user: { type: 'string' }, search: { type: 'string' }, limit: { type: 'string' } },
  logs: { err: { type: 'boolean' }, lines: { type: 'string', short: 'n' }, follow: { type: 'boolean', short: 'f' } },
  run: { 'dry-run': { type: 'boolean' } },
  queues: {},
  cancel: {},
  retry: { kinds: { type: 'string' } },
  token: { config: { type: 'string', short: 'c' }, user: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
} as const satisfies Record<ClientCommandName, ParseArgsConfig['options']>;

const POSITIONALS = { jobs: [], logs: ['JOB'], run: ['SOURCE'], queues: [], cancel: ['JOB|QUEUE'], retry: ['QUEUE'], token: ['ACTION'] } as const satisfies Record<ClientCommandName, readonly string[]>;

/** The queue and task source id forms the server accepts (queue-inputs.ts). */
const NAME_FORM = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const JOB_ID_FORM = /^[\x21-\x7e]{1,300}$/;
const RETRY_ALIASES: Record<string, RetryState> = { timeout: 'timed_out', oom: 'out_of_memory' };
const DEFAULT_RETRY: RetryState[] = ['failed', 'timed_out', 'out_of_memory', 'lost'];

/** Parses a client command line (argv without node and script). Throws ClientUsageError with a one-line reason. */
export function parseClientCli(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): ClientInvocation {
  const found = findCommand(argv);
  if (!found) throw new ClientUsageError('no command given', null);
  if (!(CLIENT_COMMANDS as string[]).includes(found.name)) {
    throw new ClientUsageError(`unknown command "${found.name.slice(0, 40)}" (commands: ${CLIENT_COMMANDS.join(', ')})`, null);
  }
  const name = found.name as ClientCommandName;
  const args = [...argv.slice(0, found.index), ...argv.slice(found.index + 1)];
  let parsed;
  try {
    parsed = parseArgs({ args, options: name === 'token' ? OPTIONS.token : { ...GLOBAL, ...OPTIONS[name] }, strict: true, allowPositionals: true });
  } catch (e) {
    throw new ClientUsageError(e instanceof Error ? e.message : String(e), name);
  }
  const v = parsed.values as Record<string, string | boolean | undefined>;
  const json = v.json === true;
  if (v.help === true) return { command: { kind: 'help', command: name }, connection: connection({}, env, name), json };
  const expected = POSITIONALS[name];
  const positionals = parsed.positionals;
  const maxPositionals = name === 'token' ? 2 : expected.length;
  if (positionals.length < expected.length) throw new ClientUsageError(`${name} needs ${expected.join(' ')}`, name);
  if (positionals.length > maxPositionals) throw new ClientUsageError(`unexpected argument "${positionals[maxPositionals]!.slice(0, 40)}"`, name);
  if (name === 'logs' && json && v.follow === true) throw new ClientUsageError('--json cannot be combined with -f: a followed log is printed as it arrives', name);
  return { command: command(name, positionals, v), connection: connection(v, env, name), json };
}

function command(name: ClientCommandName, p: readonly string[], v: Record<string, string | boolean | undefined>): ClientCommand {
  const str = (key: string): string | undefined => (typeof v[key] === 'string' ? v[key] : undefined);
  switch (name) {
    case 'jobs': {
      const c: ClientCommand = { kind: 'jobs', limit: integer(str('limit'), '--limit', 1, 20_000, 50, name) };
      const states = str('state');
      if (states !== undefined) c.states = list(states, '--state', JobState.options, {}, name);
      for (const key of ['cluster', 'user'] as const) {
        const value = str(key);
        if (value !== undefined) c[key] = bounded(value, `--${key}`, 64, name);
      }
      const search = str('search');
      if (search !== undefined) c.text = bounded(search, '--search', 200, name);
      return c;
    }
    case 'logs':
      return { kind: 'logs', id: jobId(p[0]!, name), log: v.err === true ? 'error' : 'output', lines: integer(str('lines'), '--lines', 1, 10_000, 50, name), follow: v.follow === true };
    case 'run':
      return { kind: 'run', source: named(p[0]!, 'a task source name', name), dryRun: v['dry-run'] === true };
    case 'queues':
      return { kind: 'queues' };
    case 'cancel':
      return { kind: 'cancel', target: p[0]!.includes(':') ? { job: jobId(p[0]!, name) } : { queue: named(p[0]!, 'a job id (with a colon) or a queue id', name) } };
    case 'retry': {
      const kinds = str('kinds');
      return { kind: 'retry', queue: named(p[0]!, 'a queue id', name), states: kinds === undefined ? DEFAULT_RETRY : list(kinds, '--kinds', RetryState.options, RETRY_ALIASES, name) };
    }
    case 'token':
      return tokenCommand(p, str('config'), str('user'));
  }
}

function tokenCommand(p: readonly string[], config: string | undefined, user: string | undefined): ClientCommand {
  const [action, arg] = p;
  const needsArg = { create: 'NAME', revoke: 'ID', list: null } as const;
  if (action !== 'create' && action !== 'list' && action !== 'revoke') {
    throw new ClientUsageError(`token: unknown action "${(action ?? '').slice(0, 40)}" (create NAME, list, revoke ID)`, 'token');
  }
  const wanted = needsArg[action];
  if (wanted !== null && arg === undefined) throw new ClientUsageError(`token ${action} needs ${wanted}`, 'token');
  if (wanted === null && arg !== undefined) throw new ClientUsageError(`unexpected argument "${arg.slice(0, 40)}"`, 'token');
  if (user !== undefined && action !== 'create') throw new ClientUsageError(`--user goes with token create`, 'token');
  return { kind: 'token', action, arg: arg ?? null, ...(config !== undefined ? { config } : {}), ...(user !== undefined ? { user } : {}) };
}

function connection(v: Record<string, string | boolean | undefined>, env: Readonly<Record<string, string | undefined>>, name: ClientCommandName): Connection {
  const given = typeof v.server === 'string' ? v.server : undefined;
  const raw = given ?? (env.SCRIPTHUT_SERVER || DEFAULT_SERVER);
  const from = given !== undefined ? '--server' : env.SCRIPTHUT_SERVER ? 'SCRIPTHUT_SERVER' : 'the default';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ClientUsageError(`${from}: "${raw.slice(0, 80)}" is not a URL; use e.g. http://127.0.0.1:8000`, name);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ClientUsageError(`${from}: use an http:// or https:// URL, not ${url.protocol}`, name);
  const server = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  const tokenEnv = typeof v['token-env'] === 'string' ? v['token-env'] : 'SCRIPTHUT_TOKEN';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(tokenEnv)) throw new ClientUsageError(`--token-env needs an environment variable name, got "${tokenEnv.slice(0, 40)}"`, name);
  const token = env[tokenEnv]?.trim() || null;
  if (token === null && v['token-env'] !== undefined) throw new ClientUsageError(`--token-env ${tokenEnv}: that environment variable is not set or empty`, name);
  return { server, token, tokenEnv };
}

function integer(raw: string | undefined, flag: string, min: number, max: number, fallback: number, name: ClientCommandName): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) throw new ClientUsageError(`${flag} must be a whole number from ${min} to ${max}, got "${raw.slice(0, 40)}"`, name);
  return n;
}

function list<T extends string>(raw: string, flag: string, allowed: readonly T[], aliases: Record<string, T>, name: ClientCommandName): T[] {
  const words = raw.split(',').map((w) => w.trim().toLowerCase()).filter((w) => w !== '');
  if (words.length === 0) throw new ClientUsageError(`${flag} needs at least one value`, name);
  const values = words.map((w) => {
    const value = aliases[w] ?? (allowed as readonly string[]).find((a) => a === w);
    if (value === undefined) throw new ClientUsageError(`${flag}: unknown value "${w.slice(0, 40)}" (one of: ${[...Object.keys(aliases), ...allowed.filter((a) => !Object.values(aliases).includes(a))].join(', ')})`, name);
    return value as T;
  });
  return [...new Set(values)];
}

function bounded(value: string, flag: string, max: number, name: ClientCommandName): string {
  if (value.length === 0 || value.length > max) throw new ClientUsageError(`${flag} needs 1 to ${max} characters`, name);
  return value;
}

function named(value: string, what: string, name: ClientCommandName): string {
  if (!NAME_FORM.test(value)) throw new ClientUsageError(`"${value.slice(0, 40)}" is not ${what} (letters, digits, ".", "_", "-")`, name);
  return value;
}

function jobId(value: string, name: ClientCommandName): string {
  if (!JOB_ID_FORM.test(value)) throw new ClientUsageError(`"${value.slice(0, 40)}" is not a job id such as local:12345 (printable, no spaces)`, name);
  return value;
}
