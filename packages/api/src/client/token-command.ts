import { homedir } from 'node:os';
import { expandPath, loadConfig } from '@scripthut/core';
import { ApiTokenFileError, ApiTokenStore } from '../auth/api-tokens';
import type { ClientCommand } from './client-args';
import type { ClientIo } from './commands';
import { EXIT, type ExitCode } from './exit-codes';
import { tokensView } from './views';

export interface TokenEnv {
  cwd: string;
  homeDir: string;
}

/**
 * `scripthut token create|list|revoke`, on the server machine: edits the
 * token file in the configuration's data directory directly, so it works
 * whether or not the server is running (a running one re-reads the file).
 * Errors (a bad config, an unknown id) are thrown: ConfigError and
 * ApiTokenFileError, exit code 2 and 1.
 */
export async function runTokenCommand(c: Extract<ClientCommand, { kind: 'token' }>, json: boolean, io: ClientIo, env: TokenEnv = { cwd: process.cwd(), homeDir: process.env.SCRIPTHUT_HOME ?? homedir() }): Promise<ExitCode> {
  const loaded = loadConfig(c.config, env);
  const store = new ApiTokenStore(expandPath(loaded.config.settings.data_dir, env.homeDir, env.cwd));
  const emit = (value: unknown, text: string): ExitCode => {
    io.out(json ? `${JSON.stringify(value, null, 2)}\n` : text);
    return EXIT.ok;
  };
  switch (c.action) {
    case 'list': {
      const tokens = store.list().map(({ hash: _, ...rest }) => rest);
      return emit(tokens, tokensView(store.list(), io.layout));
    }
    case 'create': {
      const user = c.user ?? null;
      const names = loaded.config.settings.auth.users.map((u) => u.name);
      if (user !== null && !names.includes(user)) {
        throw new ApiTokenFileError(`--user ${user}: no such user in settings.auth.users${names.length ? ` (users: ${names.join(', ')})` : ' (none are configured)'}`);
      }
      const { record, token } = await store.create(c.arg ?? '', user);
      const { hash: _, ...shown } = record;
      return emit(
        { ...shown, token, file: store.file },
        `Token "${record.name}"${user === null ? '' : ` for ${user}`} created, id ${record.id}. It is shown only now; ${store.file} keeps only its hash:\n\n  ${token}\n\nGive it to the client in SCRIPTHUT_TOKEN (or the variable --token-env names). Revoke it with: scripthut token revoke ${record.id}\n`,
      );
    }
    case 'revoke': {
      const record = store.revoke(c.arg ?? '');
      const { hash: _, ...shown } = record;
      return emit(shown, `Revoked token ${record.id} ("${record.name}"). A running server refuses it from its next request.\n`);
    }
  }
}
