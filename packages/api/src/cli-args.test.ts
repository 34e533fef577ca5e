import { describe, expect, it } from 'vitest';
import { CliUsageError, parseCli } from './cli-args';

describe('parseCli', () => {
  it('accepts the seed CLI flags, long and short', () => {
    expect(parseCli(['--config', 'a.yaml', '--host', '0.0.0.0', '--port', '9000'])).toEqual({
      kind: 'run',
      options: { config: 'a.yaml', host: '0.0.0.0', port: 9000 },
    });
    expect(parseCli(['-c', 'b.yml', '-p', '0'])).toEqual({ kind: 'run', options: { config: 'b.yml', port: 0 } });
    expect(parseCli([])).toEqual({ kind: 'run', options: {} });
  });

  it('takes --reset-token as a run option', () => {
    expect(parseCli(['--reset-token', '-p', '0'])).toEqual({ kind: 'run', options: { port: 0, resetToken: true } });
    expect(() => parseCli(['--reset-token=x'])).toThrow(CliUsageError);
  });

  it('takes --import-history FILE.db, with --replace-history only beside it', () => {
    expect(parseCli(['-c', 'pg.yaml', '--import-history', 'old.db'])).toEqual({ kind: 'import-history', options: { config: 'pg.yaml' }, from: 'old.db', replace: false });
    expect(parseCli(['--import-history', 'old.db', '--replace-history'])).toMatchObject({ kind: 'import-history', replace: true });
    expect(() => parseCli(['--replace-history'])).toThrow(new CliUsageError('--replace-history only goes with --import-history FILE.db'));
    expect(() => parseCli(['--import-history', ' '])).toThrow(CliUsageError);
  });

  it('recognises --help and --version', () => {
    expect(parseCli(['--help'])).toEqual({ kind: 'help' });
    expect(parseCli(['-v'])).toEqual({ kind: 'version' });
  });

  it('rejects a bad port and unknown flags with a one-line reason', () => {
    expect(() => parseCli(['--port', 'eighty'])).toThrow(new CliUsageError('--port must be a number from 0 to 65535, got "eighty"'));
    expect(() => parseCli(['--prot', '1'])).toThrow(CliUsageError);
  });
});
