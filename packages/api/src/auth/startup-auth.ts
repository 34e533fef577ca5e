import type { SettingsConfig } from '@scripthut/core';
import { ApiTokenStore } from './api-tokens';
import { createHttpSecurity, type HttpSecurity, type SecretVerifier } from './http-security';
import { isLoopbackAddress } from './request-checks';
import { hashSecret, verifySecret } from './secret-hash';
import { ensureAccessToken, TokenFileError } from './token-store';
import { createOidcLogin, type OidcLogin } from './oidc-login';
import { buildUserDirectory, MIN_PASSWORD_CHARS } from './user-directory';
import type { UserDirectory } from './http-security';

export { MIN_PASSWORD_CHARS };

export interface StartupAuthInput {
  settings: SettingsConfig;
  /** The address the server will bind. */
  host: string;
  dataDir: string;
  resetToken: boolean;
  /** Where settings.auth.password_env is looked up. */
  env: Readonly<Record<string, string | undefined>>;
  log: (message: string) => void;
}

export type StartupAuth =
  | { ok: true; security: HttpSecurity; newToken: string | null; tokenFile: string | null }
  | { ok: false; message: string };

const HOW_TO_CONFIGURE = `configure a login in the config file:
  settings:
    auth:
      token: true                         # an access token is generated and printed once
      password_env: SCRIPTHUT_PASSWORD    # and/or a password read from this environment variable
      users: [{ name: alice, password_env: ALICE_PASSWORD }]   # and/or named users (see README)
or keep the default host 127.0.0.1 and reach it through an SSH tunnel or a TLS reverse proxy (see SECURITY.md)`;

/** The login policy for this start, or why the server must not start (exit code 2). */
export async function prepareAuth(i: StartupAuthInput): Promise<StartupAuth> {
  const auth = i.settings.auth;
  if (i.resetToken && !auth.token) {
    return {
      ok: false,
      message:
        '--reset-token: settings.auth.token is not enabled; set settings.auth.token: true first',
    };
  }
  const verifiers: SecretVerifier[] = [];
  let passwordHash: string | null = null;
  if (auth.password_env !== undefined) {
    const password = i.env[auth.password_env];
    if (password === undefined || password === '') {
      return {
        ok: false,
        message: `settings.auth.password_env names ${auth.password_env}, but that environment variable is not set or empty; set it, or remove password_env`,
      };
    }
    if ([...password].length < MIN_PASSWORD_CHARS) {
      return {
        ok: false,
        message: `the password in ${auth.password_env} is shorter than ${MIN_PASSWORD_CHARS} characters; choose a longer one`,
      };
    }
    passwordHash = await hashSecret(password);
    const stored = passwordHash;
    verifiers.push((secret) => verifySecret(secret, stored));
  }
  let newToken: string | null = null;
  let tokenFile: string | null = null;
  if (auth.token) {
    try {
      const token = await ensureAccessToken(i.dataDir, i.resetToken);
      newToken = token.created;
      tokenFile = token.file;
      verifiers.push((secret) => verifySecret(secret, token.hash));
    } catch (e) {
      const reason =
        e instanceof TokenFileError
          ? e.message
          : `cannot store the access token in ${i.dataDir}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`;
      return { ok: false, message: reason };
    }
  }
  let users: UserDirectory | null = null;
  if (auth.users.length > 0) {
    const built = await buildUserDirectory(auth.users, i.env);
    if (!built.ok) return built;
    users = built.directory;
  }
  let oidc: OidcLogin | null = null;
  if (auth.oidc !== undefined && i.settings.public_url !== undefined) {
    const secretEnv = auth.oidc.client_secret_env;
    const clientSecret = secretEnv === undefined ? null : (i.env[secretEnv] ?? '');
    if (clientSecret === '') {
      return { ok: false, message: `settings.auth.oidc.client_secret_env names ${secretEnv}, but that environment variable is not set or empty` };
    }
    oidc = createOidcLogin({ config: auth.oidc, clientSecret, redirectUri: new URL('/auth/oidc/callback', i.settings.public_url).toString() });
  }
  if (verifiers.length === 0 && users === null && !isLoopbackAddress(i.host)) {
    return {
      ok: false,
      message: `refusing to listen on ${i.host}: that address can be reached from other machines and no login is configured.\nEither ${HOW_TO_CONFIGURE}`,
    };
  }
  const verifier: SecretVerifier | null =
    verifiers.length === 0
      ? null
      : async (secret) => {
          // Every configured secret is checked, so the time taken does not tell which kinds exist.
          const results = await Promise.all(verifiers.map((v) => v(secret)));
          return results.includes(true);
        };
  const apiTokens = new ApiTokenStore(i.dataDir);
  const security = createHttpSecurity({
    verifier,
    users,
    oidc,
    bearerVerifier: (token) => apiTokens.verify(token),
    allowedOrigins: i.settings.allowed_origins,
    trustProxy: i.settings.trust_proxy,
    secureCookies: auth.secure_cookies,
    sessionIdleMs: auth.session_idle_hours * 3_600_000,
    log: i.log,
  });
  return { ok: true, security, newToken, tokenFile };
}
