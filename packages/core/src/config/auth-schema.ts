import { z } from 'zod';

const EnvName = (example: string) =>
  z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, `an environment variable name such as ${example}`);

/** A ScriptHut user name: what sessions, tokens, queue owners and `clusters[].identities` keys say. */
export const UserName = z
  .string()
  .min(1)
  .max(64)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._@-]*$/,
    'letters, digits, ".", "_", "@" or "-", starting with a letter or digit',
  );

/**
 * One named user. `password_env` lets them log in with a password; without
 * it they log in through OIDC or use bearer tokens made for them
 * (`scripthut token create NAME --user NAME`).
 */
export const UserConfig = z.strictObject({
  name: UserName,
  password_env: EnvName('ALICE_PASSWORD').optional(),
  /** May cancel, retry and rerun everyone's jobs and queues. */
  admin: z.boolean().default(false),
});
export type UserConfig = z.infer<typeof UserConfig>;

/** An https issuer (http only on loopback, for a provider on this machine). */
const IssuerUrl = z
  .string()
  .max(2048)
  .refine((s) => {
    try {
      const u = new URL(s);
      const loopback = ['127.0.0.1', '[::1]', 'localhost'].includes(u.hostname);
      return (u.protocol === 'https:' || (u.protocol === 'http:' && loopback)) && !u.search && !u.hash;
    } catch {
      return false;
    }
  }, 'an https URL such as https://login.example.org/realms/lab (http only for 127.0.0.1)');

/**
 * Login through an OpenID Connect provider: authorization code flow with
 * PKCE; the id_token is checked against the issuer's published keys. The
 * claim `username_claim` names the ScriptHut user, who must be configured in
 * `users`.
 */
export const OidcConfig = z.strictObject({
  issuer: IssuerUrl,
  client_id: z.string().min(1).max(256),
  /** Name of the environment variable holding the client secret; absent: a public client (PKCE only). */
  client_secret_env: EnvName('SCRIPTHUT_OIDC_SECRET').optional(),
  scopes: z.array(z.string().regex(/^[\x21-\x7e]+$/)).min(1).max(16).default(['openid', 'profile', 'email']),
  username_claim: z.string().min(1).max(64).default('preferred_username'),
  /** What the login button says. */
  label: z.string().min(1).max(64).default('Log in with single sign-on'),
});
export type OidcConfig = z.infer<typeof OidcConfig>;

/** How one ScriptHut user reaches a cluster: their own login there, by key file or their ssh-agent. */
export const ClusterIdentity = z.strictObject({
  user: z.string().min(1),
  /** Private key; absent: the agent at `agent_socket`, else the server's own agent or default keys. */
  key_path: z.string().min(1).optional(),
  /** An ssh-agent socket holding this person's key (or certificate). */
  agent_socket: z.string().min(1).optional(),
  passphrase_env: EnvName('ALICE_KEY_PASSPHRASE').optional(),
});
export type ClusterIdentity = z.infer<typeof ClusterIdentity>;

/** ScriptHut user name → cluster identity. Users not named here act through the cluster's `ssh` account. */
export const ClusterIdentities = z.record(UserName, ClusterIdentity);

/** Dashboard login. Without it the server only binds a loopback address (see SECURITY.md). */
export const AuthConfig = z.strictObject({
  /** Generate an access token at first start: printed once, stored only as a salted scrypt hash in data_dir. */
  token: z.boolean().default(false),
  /** Name of an environment variable holding a login password (never the password itself). */
  password_env: EnvName('SCRIPTHUT_PASSWORD').optional(),
  /** Always mark the session cookie Secure (behind a TLS proxy whose headers are not trusted). */
  secure_cookies: z.boolean().default(false),
  /** A login session ends after this long without a request. */
  session_idle_hours: z.number().min(0.25).max(720).default(12),
  /** Named users; without them every login is the shared account, which may do everything. */
  users: z.array(UserConfig).max(1000).default([]),
  /** Optional OpenID Connect login for the named users. */
  oidc: OidcConfig.optional(),
});
export type AuthConfig = z.infer<typeof AuthConfig>;
