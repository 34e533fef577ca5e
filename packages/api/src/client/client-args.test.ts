import { describe, expect, it } from 'vitest';
import { ClientUsageError, findCommand, parseClientCli } from './client-args';

const parse = (argv: string[], env: Record<string, string> = {}) => parseClientCli(argv, env);
const usage = (argv: string[], env: Record<string, string> = {}): string => {
  try {
    parse(argv, env);
  } catch (e) {
    if (e instanceof ClientUsageError) return e.message;
    throw e;
  }
  throw new Error(`expected a usage error for ${argv.join(' ')}`);
};

describe('findCommand', () => {
  it('finds no command in the server form, so it keeps starting the server', () => {
    expect(findCommand([])).toBeNull();
    expect(findCommand(['--config', 'jobs.yaml', '--host', '127.0.0.1', '-p', '9000', '--reset-token'])).toBeNull();
    expect(findCommand(['-c', 'logs'])).toBeNull();
  });

  it('finds the command word after global options and their values', () => {
    expect(findCommand(['jobs'])).toEqual({ name: 'jobs', index: 0 });
    expect(findCommand(['--server', 'http://h:1', '--json', 'queues'])).toEqual({ name: 'queues', index: 3 });
  });
});

describe('parseClientCli', () => {
  it('parses jobs filters, with the defaults', () => {
    expect(parse(['jobs']).command).toEqual({ kind: 'jobs', limit: 50 });
    expect(parse(['jobs', '--state', 'failed,running', '--cluster', 'hpc', '--user', 'ana', '--search', 'train', '--limit', '7']).command).toEqual({
      kind: 'jobs', states: ['failed', 'running'], cluster: 'hpc', user: 'ana', text: 'train', limit: 7,
    });
  });

  it('parses logs, run, queues, cancel and retry', () => {
    expect(parse(['logs', 'hpc:42', '--err', '-n', '5', '-f']).command).toEqual({ kind: 'logs', id: 'hpc:42', log: 'error', lines: 5, follow: true });
    expect(parse(['logs', 'q:abc:t1']).command).toEqual({ kind: 'logs', id: 'q:abc:t1', log: 'output', lines: 50, follow: false });
    expect(parse(['run', 'examples', '--dry-run']).command).toEqual({ kind: 'run', source: 'examples', dryRun: true });
    expect(parse(['queues']).command).toEqual({ kind: 'queues' });
    expect(parse(['cancel', 'local:99']).command).toEqual({ kind: 'cancel', target: { job: 'local:99' } });
    expect(parse(['cancel', 'd70cfbf4']).command).toEqual({ kind: 'cancel', target: { queue: 'd70cfbf4' } });
    expect(parse(['retry', 'd70cfbf4']).command).toEqual({ kind: 'retry', queue: 'd70cfbf4', states: ['failed', 'timed_out', 'out_of_memory', 'lost'] });
    expect(parse(['retry', 'd70cfbf4', '--kinds', 'timeout,oom,Cancelled,oom']).command).toEqual({ kind: 'retry', queue: 'd70cfbf4', states: ['timed_out', 'out_of_memory', 'cancelled'] });
  });

  it('parses token actions, which take --config and no server options', () => {
    expect(parse(['token', 'create', 'ci', '-c', 'a.yaml']).command).toEqual({ kind: 'token', action: 'create', arg: 'ci', config: 'a.yaml' });
    expect(parse(['token', 'list', '--json'])).toMatchObject({ command: { kind: 'token', action: 'list', arg: null }, json: true });
    expect(usage(['token', 'revoke'])).toBe('token revoke needs ID');
    expect(usage(['token', 'drop', 'x'])).toBe('token: unknown action "drop" (create NAME, list, revoke ID)');
    expect(usage(['token', 'list', '--server', 'http://x'])).toMatch(/Unknown option '--server'/);
  });

  it('makes a token act as a named user with --user, only on create', () => {
    expect(parse(['token', 'create', 'ci', '--user', 'alice']).command).toEqual({ kind: 'token', action: 'create', arg: 'ci', user: 'alice' });
    expect(usage(['token', 'list', '--user', 'alice'])).toBe('--user goes with token create');
  });

  it('resolves the server from --server, then SCRIPTHUT_SERVER, then the default', () => {
    expect(parse(['jobs']).connection).toEqual({ server: 'http://127.0.0.1:8000', token: null, tokenEnv: 'SCRIPTHUT_TOKEN' });
    expect(parse(['jobs'], { SCRIPTHUT_SERVER: 'https://hut.example.org/' }).connection.server).toBe('https://hut.example.org');
    expect(parse(['--server', 'http://10.0.0.5:9000/hut/', 'jobs'], { SCRIPTHUT_SERVER: 'http://other' }).connection.server).toBe('http://10.0.0.5:9000/hut');
    expect(usage(['jobs', '--server', 'not a url'])).toBe('--server: "not a url" is not a URL; use e.g. http://127.0.0.1:8000');
    expect(usage(['jobs'], { SCRIPTHUT_SERVER: 'ftp://h' })).toBe('SCRIPTHUT_SERVER: use an http:// or https:// URL, not ftp:');
  });

  it('reads the token from SCRIPTHUT_TOKEN or the variable --token-env names, never from the command line', () => {
    expect(parse(['jobs'], { SCRIPTHUT_TOKEN: ' sht_x ' }).connection.token).toBe('sht_x');
    expect(parse(['jobs', '--token-env', 'HUT_CI'], { HUT_CI: 'sht_y', SCRIPTHUT_TOKEN: 'sht_x' }).connection).toMatchObject({ token: 'sht_y', tokenEnv: 'HUT_CI' });
    expect(usage(['jobs', '--token-env', 'HUT_CI'])).toBe('--token-env HUT_CI: that environment variable is not set or empty');
    expect(usage(['jobs', '--token-env', 'a b'])).toBe('--token-env needs an environment variable name, got "a b"');
    expect(usage(['jobs', '--token', 'sht_x'])).toMatch(/Unknown option '--token'/);
  });

  it('answers --help per command', () => {
    expect(parse(['logs', '--help']).command).toEqual({ kind: 'help', command: 'logs' });
    expect(parse(['token', '-h']).command).toEqual({ kind: 'help', command: 'token' });
  });

  it('refuses bad values with a one-line reason that names the flag and what it accepts', () => {
    expect(usage(['nope'])).toBe('unknown command "nope" (commands: jobs, logs, run, queues, cancel, retry, token)');
    expect(usage(['jobs', '--state', 'done'])).toBe('--state: unknown value "done" (one of: pending, submitted, running, finishing, completed, failed, unknown)');
    expect(usage(['jobs', '--limit', '0'])).toBe('--limit must be a whole number from 1 to 20000, got "0"');
    expect(usage(['jobs', '--limit', '1e3'])).toBe('--limit must be a whole number from 1 to 20000, got "1e3"');
    expect(usage(['logs'])).toBe('logs needs JOB');
    expect(usage(['logs', 'a:1', 'b:2'])).toBe('unexpected argument "b:2"');
    expect(usage(['logs', 'a:1', '-f', '--json'])).toBe('--json cannot be combined with -f: a followed log is printed as it arrives');
    expect(usage(['logs', 'has space:1'])).toMatch(/is not a job id such as local:12345/);
    expect(usage(['run', '../etc'])).toBe('"../etc" is not a task source name (letters, digits, ".", "_", "-")');
    expect(usage(['retry', 'q1', '--kinds', 'failed,bogus'])).toBe('--kinds: unknown value "bogus" (one of: timeout, oom, failed, lost, cancelled, skipped)');
    expect(usage(['queues', '--bogus'])).toMatch(/Unknown option '--bogus'/);
  });
});
