import { z } from 'zod';
import { NotificationsConfig } from './notifications-schema';
import { AuthConfig, ClusterIdentities } from './auth-schema';

/**
 * The configuration file format. Existing `scripthut.yaml` files of the
 * original ScriptHut load unchanged; fields it did not have are optional.
 * Objects are strict so that a typo'd key is reported, not ignored.
 */
const name = z
  .string()
  .min(1)
  .max(64)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
    'letters, digits, ".", "_" or "-", starting with a letter or digit',
  );

export const SshConfig = z.strictObject({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(22),
  user: z.string().min(1),
  /** Private key. When absent, ssh-agent is used if available, else ~/.ssh/id_ed25519 or ~/.ssh/id_rsa. */
  key_path: z.string().min(1).optional(),
  cert_path: z.string().min(1).nullish(),
  /** known_hosts file to verify the host key against (default ~/.ssh/known_hosts). */
  known_hosts: z.string().min(1).nullish(),
  /** Pinned host key fingerprint, `SHA256:…` as printed by `ssh-keygen -lf`. */
  host_key_fingerprint: z
    .string()
    .regex(
      /^SHA256:[A-Za-z0-9+/]{43}=?$/,
      'a fingerprint like SHA256:AbC… as printed by ssh-keygen -l',
    )
    .optional(),
  /** Name of an environment variable holding the key's passphrase (never the passphrase itself). */
  passphrase_env: z.string().min(1).optional(),
});
export type SshConfig = z.infer<typeof SshConfig>;

export const SlurmClusterConfig = z.strictObject({
  name,
  type: z.literal('slurm'),
  ssh: SshConfig,
  account: z.string().min(1).nullish(),
  /** Partition for tasks that name none. Absent: Slurm's default partition. */
  partition: z.string().min(1).optional(),
  /** Where task logs go on the cluster. */
  log_dir: z.string().min(1).default('~/.cache/scripthut/logs'),
  /** Per ScriptHut user, their own login on this cluster; others act as `ssh.user`. */
  identities: ClusterIdentities.default({}),
});

/** An AWS endpoint other than the region's (a VPC endpoint, a test server); `http(s)://host[:port]`. */
const AwsEndpoint = z
  .string()
  .max(256)
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.pathname === '/' && !u.search;
    } catch {
      return false;
    }
  }, 'a URL such as https://batch.us-east-1.amazonaws.com or http://127.0.0.1:4566 (no path)');

const AwsRegion = z
  .string()
  .regex(/^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/, 'an AWS region such as us-east-1');

/** Credentials come from the SDK's own chain: `profile` (shared config/credentials files, SSO), else env, else instance/container roles. */
const awsAccess = {
  profile: z.string().min(1).max(128).optional(),
  region: AwsRegion,
  endpoint: AwsEndpoint.optional(),
};

const AwsName = z
  .string()
  .min(1)
  .max(255)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9:/._-]*$/,
    'a name or ARN (letters, digits, ":", "/", ".", "_", "-")',
  );

/** The seed's `type: ecs`, plus what running a task needs. Without `task_definition` the cluster is monitored but takes no queues. */
export const EcsClusterConfig = z.strictObject({
  name,
  type: z.literal('ecs'),
  aws: z.strictObject({ ...awsAccess, cluster_name: AwsName }),
  /** `family` or `family:revision`; the task source's `command` overrides the container's command. */
  task_definition: AwsName.optional(),
  /** Container the command runs in; default: the definition's first essential container. */
  container: z.string().min(1).max(255).optional(),
  launch_type: z.enum(['FARGATE', 'EC2']).optional(),
  capacity_provider_strategy: z
    .array(
      z.strictObject({
        capacity_provider: z.string().min(1).max(255),
        weight: z.number().int().min(0).max(1000).optional(),
        base: z.number().int().min(0).max(100000).optional(),
      }),
    )
    .min(1)
    .max(20)
    .optional(),
  /** awsvpc networking; required for Fargate. */
  network: z
    .strictObject({
      subnets: z.array(z.string().min(1)).min(1).max(16),
      security_groups: z.array(z.string().min(1)).max(5).default([]),
      assign_public_ip: z.boolean().default(false),
    })
    .optional(),
  /** Defaults: the container's awslogs options in the task definition. */
  log_group: z.string().min(1).max(512).optional(),
  log_stream_prefix: z.string().min(1).max(512).optional(),
  max_concurrent: z.number().int().min(1).max(10_000).default(10),
});

/** An AWS Batch job queue (the original's later `type: batch`). */
export const BatchClusterConfig = z.strictObject({
  name,
  type: z.literal('batch'),
  aws: z.strictObject({ ...awsAccess, job_queue: AwsName }),
  /** `name`, `name:revision` or ARN. Without it the queue is monitored but takes no task queues. */
  job_definition: AwsName.optional(),
  /** Attempts per job (Batch retryStrategy.attempts). */
  retry_attempts: z.number().int().min(1).max(10).default(1),
  log_group: z.string().min(1).max(512).default('/aws/batch/job'),
  max_concurrent: z.number().int().min(1).max(10_000).default(100),
});

export const LocalClusterConfig = z.strictObject({
  name,
  type: z.literal('local'),
  /** Most processes running at once on this machine, across all queues. */
  max_concurrent: z.number().int().min(1).max(1024).default(4),
  log_dir: z.string().min(1).default('~/.cache/scripthut/local-logs'),
});

export const ClusterConfig = z.discriminatedUnion('type', [
  SlurmClusterConfig,
  EcsClusterConfig,
  BatchClusterConfig,
  LocalClusterConfig,
]);
export type ClusterConfig = z.infer<typeof ClusterConfig>;
export type SlurmClusterConfig = z.infer<typeof SlurmClusterConfig>;
export type LocalClusterConfig = z.infer<typeof LocalClusterConfig>;
export type EcsClusterConfig = z.infer<typeof EcsClusterConfig>;
export type BatchClusterConfig = z.infer<typeof BatchClusterConfig>;

export const GitSourceConfig = z.strictObject({
  name,
  url: z.string().min(1),
  branch: z.string().min(1).default('main'),
  deploy_key: z.string().min(1).nullish(),
  /** Environment variable holding an HTTPS token. */
  token_env: z.string().min(1).optional(),
  /** SSH URLs: known_hosts file to verify the git host against (default ~/.ssh/known_hosts). */
  known_hosts: z.string().min(1).optional(),
  /** SSH URLs: pinned host key fingerprint, `SHA256:…` as printed by `ssh-keygen -lf`; replaces known_hosts. */
  host_key_fingerprint: z
    .string()
    .regex(
      /^SHA256:[A-Za-z0-9+/]{43}=?$/,
      'a fingerprint like SHA256:AbC… as printed by ssh-keygen -l',
    )
    .optional(),
});
export type GitSourceConfig = z.infer<typeof GitSourceConfig>;

export const TaskSourceConfig = z.strictObject({
  name,
  cluster: z.string().min(1),
  command: z.string().min(1),
  max_concurrent: z.number().int().min(1).max(10_000).default(5),
  description: z.string().default(''),
  /** A git source whose checkout the command runs in. */
  source: z.string().min(1).optional(),
});
export type TaskSourceConfig = z.infer<typeof TaskSourceConfig>;

/** `scheme://host[:port]` exactly as a browser sends it in the Origin header. */
const Origin = z
  .string()
  .max(256)
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === s;
    } catch {
      return false;
    }
  }, 'an origin such as https://scripthut.example.org (scheme, host and port only, no trailing slash)');

/** `sqlite` (a file in data_dir) or `postgres://user@host:port/db`; a password never goes in the file. */
const DatabaseSetting = z
  .string()
  .max(2048)
  .superRefine((s, ctx) => {
    if (s === 'sqlite') return;
    let url: URL;
    try {
      url = new URL(s);
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: `"${s.slice(0, 80)}" is not "sqlite" or a URL such as postgres://scripthut@db.example.org:5432/scripthut`,
      });
      return;
    }
    if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
      ctx.addIssue({
        code: 'custom',
        message: `unknown database scheme "${url.protocol.replace(/:$/, '')}": use "sqlite" (the default, a file in data_dir) or postgres://user@host:port/database`,
      });
    } else if (url.password !== '') {
      ctx.addIssue({
        code: 'custom',
        message:
          'the URL carries a password: remove it and name an environment variable holding it in settings.database_password_env',
      });
    } else if (url.pathname.length <= 1) {
      ctx.addIssue({
        code: 'custom',
        message: 'the URL names no database: postgres://user@host:port/database',
      });
    }
  });

export const SettingsConfig = z.strictObject({
  poll_interval: z.number().int().min(5, 'at least 5 seconds').max(86_400).default(60),
  server_host: z.string().min(1).default('127.0.0.1'),
  server_port: z.number().int().min(0).max(65535).default(8000),
  sources_cache_dir: z.string().min(1).default('~/.cache/scripthut/sources'),
  filter_user: z.string().min(1).nullish(),
  history_retention_days: z.number().min(0).max(3650).default(7),
  /** Directory of the history database. */
  data_dir: z.string().min(1).default('~/.cache/scripthut'),
  /** Where the history lives: `sqlite` (default) or a PostgreSQL URL without password. */
  database: DatabaseSetting.default('sqlite'),
  /** Name of the environment variable holding the PostgreSQL password (never the password itself). */
  /** How `/health` and other instances name this server (shared deployments); default host:pid. */
  instance_name: z.string().min(1).max(200).optional(),
  database_password_env: z
    .string()
    .regex(
      /^[A-Za-z_][A-Za-z0-9_]{0,127}$/,
      'an environment variable name such as SCRIPTHUT_DB_PASSWORD',
    )
    .optional(),
  auth: AuthConfig.default(AuthConfig.parse({})),
  /** Origins besides the one the server is reached by that may send state-changing requests. */
  allowed_origins: z.array(Origin).max(32).default([]),
  /** Trust X-Forwarded-For/-Proto/-Host from one proxy hop; only when the server is reachable solely through it. */
  trust_proxy: z.boolean().default(false),
  /** The address users reach the dashboard at, for links in e-mail, Slack and webhook messages. */
  public_url: z
    .string()
    .max(2048)
    .refine((s) => {
      try {
        const u = new URL(s);
        return u.protocol === 'http:' || u.protocol === 'https:';
      } catch {
        return false;
      }
    }, 'an http(s) URL such as https://scripthut.example.org')
    .optional(),
});
export type SettingsConfig = z.infer<typeof SettingsConfig>;

export const ScripthutConfig = z.strictObject({
  clusters: z.array(ClusterConfig).default([]),
  sources: z.array(GitSourceConfig).default([]),
  task_sources: z.array(TaskSourceConfig).default([]),
  settings: SettingsConfig.default(SettingsConfig.parse({})),
  notifications: NotificationsConfig.default(NotificationsConfig.parse({})),
});
export type ScripthutConfig = z.infer<typeof ScripthutConfig>;
