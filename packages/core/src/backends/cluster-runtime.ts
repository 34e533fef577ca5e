import type { TaskSpec } from '../domain/task';
import type { Clock } from '../runtime/clock';
import type { CommandRunner } from '../runtime/command-runner';
import type { Backend, SubmitSpec } from './backend';

/** The cluster-dependent fields of a queue task, fixed when its queue is created. */
export interface ResolvedTaskFields {
  /** Null: the backend's default (the container's working directory). */
  workingDir: string | null;
  partition: string | null;
  account: string | null;
  /** Null where the backend keeps logs itself. */
  stdoutPath: string | null;
  stderrPath: string | null;
}

/** A task field this kind of cluster cannot honour, named for the error shown to the user. */
export interface TaskFieldProblem {
  field: keyof TaskSpec;
  message: string;
}

export type ResolveTaskResult =
  { ok: true; resolved: ResolvedTaskFields } | { ok: false; problems: TaskFieldProblem[] };

/** What a kind of cluster brings to task queues. */
export interface QueueSupport {
  /** Runs task-source commands: on the cluster (Slurm, over SSH) or on this machine (local, AWS). */
  taskRunner: CommandRunner;
  /** What a queue stores and dry run shows for a task: the job script sent, or the container command. Pure. */
  renderScript: (spec: SubmitSpec) => string;
  /** `$HOME` where tasks run, asked once; absent: tasks have no home directory (containers). */
  home?: () => Promise<string>;
  /**
   * Cluster-dependent fields of a task of queue `queueId` (`home` from
   * `home()`, null without it), or every field this kind refuses and why.
   */
  resolveTask(task: TaskSpec, queueId: string, home: string | null): ResolveTaskResult;
  /**
   * Where the queue's log files go, created before its tasks are stored; null
   * where the backend keeps logs itself. Absent: no directory to make.
   */
  prepareLogDir?(queueId: string, home: string | null): Promise<string | null>;
  /** Most ScriptHut tasks in flight at once on the cluster, across queues; null: no cap. */
  maxConcurrent: number | null;
  account: string | null;
}

/**
 * Everything one configured cluster is made of, built by its kind's factory
 * (`backends/<kind>/create-<kind>-cluster.ts`); `create-cluster.ts` holds the
 * one switch over kinds.
 */
export interface ClusterRuntime {
  backend: Backend;
  /** `user@host:port` for SSH clusters, a short description otherwise. */
  host: string;
  /** Owner recorded on ScriptHut's job rows, and whose jobs "My jobs" shows by default. */
  user: string | null;
  /** Poll at least this often (the local backend is cheap to ask); absent: `settings.poll_interval`. */
  maxPollIntervalMs?: number;
  queues: QueueSupport;
  /**
   * The cluster as ScriptHut user `user` reaches it with their own login
   * (`clusters[].identities`); null when they have none there (the shared
   * account acts). Absent on kinds without per-user logins.
   */
  identity?: (user: string) => IdentityRuntime | null;
  /** Closes transports (SSH, HTTP agents) after the monitor stops. */
  close?: () => Promise<void> | void;
}

/** One user's own login on a cluster: commands and submissions run as `user` there. */
export interface IdentityRuntime {
  backend: Backend;
  queues: QueueSupport;
  /** The login name on the cluster (owner of the jobs it submits). */
  user: string;
}

/** What every kind's factory may use. */
export interface ClusterDeps {
  homeDir: string;
  cwd: string;
  /** `settings.data_dir`, resolved. */
  dataDir: string;
  clock: Clock;
  /** The few environment values core may use (SSH_AUTH_SOCK, AWS_*, variables the config names). */
  environment: Record<string, string | undefined>;
  /** Login name of the user running the server. */
  localUser: string;
  log: (message: string) => void;
  /** Runs commands on this machine: task sources of kinds that have no shell of their own. */
  localRunner: CommandRunner;
}
