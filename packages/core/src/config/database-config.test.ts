import { describe, expect, it } from 'vitest';
import { configIssues } from './testing';
import { parseConfig } from './load-config';

const env = { cwd: '/work', homeDir: '/home/r', fileExists: () => false };

const issuesOf = (text: string): string[] => configIssues(text, env);

describe('settings.database', () => {
  it('is sqlite unless the file says otherwise', () => {
    expect(parseConfig('', 'scripthut.yaml', env).settings.database).toBe('sqlite');
  });

  it('takes a PostgreSQL URL and the name of the variable holding its password', () => {
    const config = parseConfig(
      'settings:\n  database: postgres://hut@db.example.org:5432/scripthut\n  database_password_env: HUT_DB_PASSWORD\n',
      'scripthut.yaml',
      env,
    );
    expect(config.settings).toMatchObject({
      database: 'postgres://hut@db.example.org:5432/scripthut',
      database_password_env: 'HUT_DB_PASSWORD',
    });
  });

  it('explains an unknown scheme at its line', () => {
    expect(issuesOf('settings:\n  database: mysql://hut@db/scripthut\n')).toEqual([
      'scripthut.yaml:2:13: settings.database: unknown database scheme "mysql": use "sqlite" (the default, a file in data_dir) or postgres://user@host:port/database',
    ]);
  });

  it('refuses a password in the URL and says where it belongs', () => {
    expect(issuesOf('settings:\n  database: postgres://hut:secret@db/scripthut\n')).toEqual([
      'scripthut.yaml:2:13: settings.database: the URL carries a password: remove it and name an environment variable holding it in settings.database_password_env',
    ]);
  });

  it('refuses a URL without a database and text that is no URL', () => {
    expect(issuesOf('settings:\n  database: postgres://hut@db:5432\n')).toEqual([
      'scripthut.yaml:2:13: settings.database: the URL names no database: postgres://user@host:port/database',
    ]);
    expect(issuesOf('settings:\n  database: my database\n')).toEqual([
      'scripthut.yaml:2:13: settings.database: "my database" is not "sqlite" or a URL such as postgres://scripthut@db.example.org:5432/scripthut',
    ]);
  });

  it('wants a variable name, not a password, in database_password_env', () => {
    expect(issuesOf('settings:\n  database_password_env: "hunter2!"\n')).toEqual([
      'scripthut.yaml:2:26: settings.database_password_env: an environment variable name such as SCRIPTHUT_DB_PASSWORD',
    ]);
  });
});
