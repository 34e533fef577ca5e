import { parseArgs } from 'node:util';
import { COMMANDS_SUMMARY, EXIT_CODES_HELP } from './client/client-usage';

export interface CliOptions {
  config?: string;
  host?: string;
  port?: number;
  /** Replace the access token with a new one, printed once. */
  resetToken?: boolean;
}

export type CliCommand =
  | { kind: 'run'; options: CliOptions }
  | { kind: 'import-history'; options: CliOptions; from: string; replace: boolean }
  | { kind: 'help' }
  | { kind: 'version' };

export const USAGE = `Usage: scripthut [--config PATH] [--host HOST] [--port PORT] [--reset-token]
       scripthut [--config PATH] --import-history FILE.db [--replace-history]

Start the ScriptHut dashboard.

Options:
  -c, --config PATH   configuration file (default: ./scripthut.yaml, then ./scripthut.yml;
                      without one, a built-in local cluster is used)
      --host HOST     address to bind (default: settings.server_host, 127.0.0.1)
  -p, --port PORT     port to listen on (default: settings.server_port, 8000; 0 = any free port)
      --reset-token   replace the access token (settings.auth.token) with a new one, print it once,
                      and start; the old token and all sessions stop working
      --import-history FILE.db
                      copy a SQLite history (jobs, queues, tasks, submissions, notifications)
                      into the database settings.database names, in one transaction, and exit;
                      refused when that database already holds a history
      --replace-history  with --import-history: replace what the target holds
  -h, --help          show this help
  -v, --version       print the version

${COMMANDS_SUMMARY}

${EXIT_CODES_HELP}
`;

export class CliUsageError extends Error {}

/** Parse argv (without node and script). Throws CliUsageError with a one-line reason. */
export function parseCli(argv: readonly string[]): CliCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        config: { type: 'string', short: 'c' },
        host: { type: 'string' },
        port: { type: 'string', short: 'p' },
        'reset-token': { type: 'boolean' },
        'import-history': { type: 'string' },
        'replace-history': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (e) {
    throw new CliUsageError(e instanceof Error ? e.message : String(e));
  }
  const v = parsed.values;
  if (v.help) return { kind: 'help' };
  if (v.version) return { kind: 'version' };
  const options: CliOptions = {};
  if (v.config !== undefined) options.config = v.config;
  if (v.host !== undefined) {
    if (v.host.trim() === '') throw new CliUsageError('--host needs an address, e.g. 127.0.0.1');
    options.host = v.host;
  }
  if (v.port !== undefined) {
    const port = Number(v.port);
    if (!/^\d+$/.test(v.port) || port > 65535) {
      throw new CliUsageError(`--port must be a number from 0 to 65535, got "${v.port}"`);
    }
    options.port = port;
  }
  if (v['reset-token']) options.resetToken = true;
  if (v['import-history'] !== undefined) {
    if (v['import-history'].trim() === '')
      throw new CliUsageError(
        '--import-history needs the path of a SQLite history, e.g. ~/.cache/scripthut/scripthut.db',
      );
    return {
      kind: 'import-history',
      options,
      from: v['import-history'],
      replace: v['replace-history'] === true,
    };
  }
  if (v['replace-history'])
    throw new CliUsageError('--replace-history only goes with --import-history FILE.db');
  return { kind: 'run', options };
}
