import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { homedir, hostname, userInfo } from 'node:os';
import { fileURLToPath } from 'node:url';
import { ConfigError, createCore, defaultConfig, expandPath, importSqliteHistory, loadConfig, notificationEnvNames, openConfiguredStore, systemClock, type ScripthutCore, type ScripthutConfig } from '@scripthut/core';
import { prepareAuth, type StartupAuth } from './auth/startup-auth';
import { CliUsageError, parseCli, USAGE } from './cli-args';
import { createApp } from './create-app';
import { VERSION } from './version';

const SHUTDOWN_GRACE_MS = 5_000;

/** The process composition root: config, core, HTTP, signals. Returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let command;
  try {
    command = parseCli(argv);
  } catch (e) {
    if (!(e instanceof CliUsageError)) throw e;
    process.stderr.write(`scripthut: ${e.message}\n\n${USAGE}`);
    return 2;
  }
  if (command.kind === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (command.kind === 'version') {
    process.stdout.write(`scripthut ${VERSION}\n`);
    return 0;
  }
  if (command.kind === 'import-history') return importHistory(command);

  // The AWS SDK warns on Node 20 that releases after January 2027 will need Node 22. The
  // lockfile pins a release that supports Node 20, so the notice only confuses a user reading
  // ScriptHut's output; README "AWS Batch and ECS" says it once. An explicit setting wins.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const env = { cwd: process.cwd(), homeDir: process.env.SCRIPTHUT_HOME ?? homedir() };
  let core: ScripthutCore;
  let host: string;
  let port: number;
  let auth: Extract<StartupAuth, { ok: true }>;
  const log = (message: string): void => {
    process.stderr.write(`${new Date().toISOString()} ${message}\n`);
  };
  try {
    const loaded = loadConfig(command.options.config, env);
    // Without a config file: one local cluster and an example task source, so a first start shows a queue running.
    if (loaded.path === null) loaded.config = defaultConfig();
    host = command.options.host ?? loaded.config.settings.server_host;
    port = command.options.port ?? loaded.config.settings.server_port;
    // Before the core starts: a server that must not listen should not poll or open the database either.
    const prepared = await prepareAuth({
      settings: loaded.config.settings,
      host,
      dataDir: expandPath(loaded.config.settings.data_dir, env.homeDir, env.cwd),
      resetToken: command.options.resetToken ?? false,
      env: process.env,
      log,
    });
    if (!prepared.ok) {
      process.stderr.write(`scripthut: ${prepared.message}\n`);
      return 2;
    }
    auth = prepared;
    core = await createCore({
      config: loaded.config,
      configPath: loaded.path,
      homeDir: env.homeDir,
      cwd: env.cwd,
      version: VERSION,
      clock: systemClock,
      localUser: userInfo().username,
      environment: { SSH_AUTH_SOCK: process.env.SSH_AUTH_SOCK, ...passphraseEnv(loaded.config), ...tokenEnv(loaded.config), ...notificationEnv(loaded.config), ...awsEnv(loaded.config), ...databaseEnv(loaded.config) },
      log,
      instanceName: `${hostname()}:${process.pid}`,
    });
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`scripthut: ${e.message}\n`);
      return 2;
    }
    if (e instanceof Error && 'code' in e && typeof e.code === 'string' && e.name === 'CoreError') {
      process.stderr.write(`scripthut: ${e.message}\n`);
      return 1;
    }
    throw e;
  }

  const app = createApp({ core, webDist: findWebDist(), security: auth.security });
  let server: Server;
  try {
    server = await listen(app, host, port);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason =
      code === 'EADDRINUSE'
        ? `port ${port} on ${host} is already in use; choose another with --port`
        : code === 'EACCES'
          ? `not allowed to listen on ${host}:${port}`
          : code === 'EADDRNOTAVAIL'
            ? `${host} is not an address of this machine`
            : String(e);
    process.stderr.write(`scripthut: cannot start the server: ${reason}\n`);
    await core.close();
    return 1;
  }
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  process.stdout.write(`ScriptHut ${VERSION} listening on http://${shownHost}:${actualPort}\n`);
  if (auth.newToken !== null) {
    // The only time the token exists in clear: only its scrypt hash is stored.
    process.stdout.write(
      `Access token (shown once; only its hash is kept in ${auth.tokenFile ?? 'the data directory'}):\n\n  ${auth.newToken}\n\nRotate it with: scripthut --reset-token\n`,
    );
  }
  await core.start();

  return new Promise<number>((resolve) => {
    let stopping = false;
    const shutdown = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      process.stderr.write(`Received ${signal}, shutting down…\n`);
      const force = setTimeout(() => {
        process.stderr.write('Shutdown took too long; exiting anyway.\n');
        resolve(1);
      }, SHUTDOWN_GRACE_MS);
      force.unref();
      server.close();
      server.closeAllConnections();
      core
        .close()
        .then(() => resolve(0))
        .catch((e: unknown) => {
          process.stderr.write(`Error during shutdown: ${String(e)}\n`);
          resolve(1);
        })
        .finally(() => clearTimeout(force));
    };
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
  });
}

function listen(app: ReturnType<typeof createApp>, host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    server.once('listening', () => resolve(server));
    server.once('error', reject);
  });
}

/** Built SPA: next to the server bundle in a checkout (`apps/web/dist`), or where SCRIPTHUT_WEB_DIST says. */
function findWebDist(): string | null {
  const candidates = [
    process.env.SCRIPTHUT_WEB_DIST,
    fileURLToPath(new URL('../../../apps/web/dist', import.meta.url)),
  ].filter((p): p is string => typeof p === 'string' && p !== '');
  return candidates.find((p) => existsSync(p)) ?? null;
}

/** Passphrases are read from the environment variables the config names, here and nowhere else. */
function passphraseEnv(config: ScripthutConfig): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const c of config.clusters) {
    if (c.type !== 'slurm') continue;
    const names = [c.ssh.passphrase_env, ...Object.values(c.identities).map((i) => i.passphrase_env)];
    for (const name of names) if (name) out[name] = process.env[name];
  }
  return out;
}

/** The SMTP password, Slack URL and webhook secret variables the notifications config names. */
function notificationEnv(config: ScripthutConfig): Record<string, string | undefined> {
  return Object.fromEntries(notificationEnvNames(config.notifications).map((name) => [name, process.env[name]]));
}

/**
 * The AWS SDK's own variables, only when an AWS cluster is configured. Static
 * keys are used directly; a profile reads the files these variables name.
 */
const AWS_ENV_NAMES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_REGION', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE'] as const;

function awsEnv(config: { clusters: { type: string }[] }): Record<string, string | undefined> {
  if (!config.clusters.some((c) => c.type === 'batch' || c.type === 'ecs')) return {};
  return Object.fromEntries(AWS_ENV_NAMES.map((name) => [name, process.env[name]]));
}

/** `--import-history FILE.db`: copies a SQLite history into the configured database and exits. */
async function importHistory(command: Extract<ReturnType<typeof parseCli>, { kind: 'import-history' }>): Promise<number> {
  const env = { cwd: process.cwd(), homeDir: process.env.SCRIPTHUT_HOME ?? homedir() };
  try {
    const loaded = loadConfig(command.options.config, env);
    const settings = loaded.config.settings;
    if (settings.database === 'sqlite') {
      process.stderr.write('scripthut: --import-history copies into PostgreSQL: set settings.database to postgres://user@host:port/db first\n');
      return 2;
    }
    const from = expandPath(command.from, env.homeDir, env.cwd);
    const store = await openConfiguredStore(settings, expandPath(settings.data_dir, env.homeDir, env.cwd), databaseEnv(loaded.config));
    try {
      const { rows } = await importSqliteHistory(store, from, { replace: command.replace });
      process.stdout.write(`Imported ${from} into ${store.path}: ${Object.entries(rows).map(([table, n]) => `${n} ${table}`).join(', ')}\n`);
      return 0;
    } finally {
      await store.close();
    }
  } catch (e) {
    process.stderr.write(`scripthut: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

/** The PostgreSQL password, only from the variable settings.database_password_env names. */
function databaseEnv(config: { settings: { database_password_env?: string | undefined } }): Record<string, string | undefined> {
  const name = config.settings.database_password_env;
  return name === undefined ? {} : { [name]: process.env[name] };
}

/** HTTPS tokens of git sources, likewise only from the variables the config names. */
function tokenEnv(config: { sources: { token_env?: string }[] }): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const s of config.sources) if (s.token_env) out[s.token_env] = process.env[s.token_env];
  return out;
}
