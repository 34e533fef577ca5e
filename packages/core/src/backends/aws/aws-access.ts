import { fromIni, fromNodeProviderChain } from '@aws-sdk/credential-providers';

/** The `aws:` section every AWS cluster kind shares (profile, region, endpoint). */
export interface AwsAccess {
  profile?: string | undefined;
  region: string;
  endpoint?: string | undefined;
}

export interface AwsClientOptions {
  /** The AWS_* values core may read (see ClusterDeps.environment); the SDK's own chain reads the rest. */
  environment: Record<string, string | undefined>;
  /**
   * Attempts per call, the first included. Submits use 1 (see `awsSubmitClientConfig`):
   * a lost answer must be settled by a lookup, never by sending the request again.
   */
  maxAttempts?: number;
  /** Whole request, connection included; a call slower than this is abandoned. */
  requestTimeoutMs?: number;
}

/** Attempts for reads (list, describe, logs): standard-mode backoff, 500 ms base for throttling. */
export const AWS_READ_MAX_ATTEMPTS = 4;
export const AWS_REQUEST_TIMEOUT_MS = 30_000;
/**
 * Backend.findByTagsLagMs of the AWS kinds. A SubmitJob or RunTask received
 * from a process that then died is still carried out, and the List calls are
 * eventually consistent (a new job or task may be missing for a few seconds).
 */
export const AWS_FIND_BY_TAGS_LAG_MS = 15_000;
const AWS_CONNECT_TIMEOUT_MS = 5_000;

type Credentials = ReturnType<typeof fromIni>;

/** Configuration accepted by every `@aws-sdk/client-*` constructor. */
export interface AwsClientConfig {
  region: string;
  credentials: Credentials;
  endpoint?: string;
  maxAttempts: number;
  retryMode: 'standard';
  requestHandler: {
    connectionTimeout: number;
    requestTimeout: number;
    throwOnRequestTimeout: boolean;
  };
}

/**
 * Credentials: `fromIni({ profile })` when `aws.profile` is set (shared
 * config and credentials files, SSO, role assumption), else the SDK's
 * default chain (env, SSO, files, process, container and instance roles).
 * Static keys in `environment` are used directly, which is what the chain
 * would do with them, so a caller (a test) never has to set process.env.
 */
export function awsCredentials(
  access: AwsAccess,
  environment: AwsClientOptions['environment'],
): Credentials {
  const files = {
    ...(environment.AWS_SHARED_CREDENTIALS_FILE
      ? { filepath: environment.AWS_SHARED_CREDENTIALS_FILE }
      : {}),
    ...(environment.AWS_CONFIG_FILE ? { configFilepath: environment.AWS_CONFIG_FILE } : {}),
  };
  if (access.profile !== undefined) return fromIni({ profile: access.profile, ...files });
  const accessKeyId = environment.AWS_ACCESS_KEY_ID;
  const secretAccessKey = environment.AWS_SECRET_ACCESS_KEY;
  if (accessKeyId && secretAccessKey) {
    const sessionToken = environment.AWS_SESSION_TOKEN;
    const identity = { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
    return () => Promise.resolve(identity);
  }
  return fromNodeProviderChain(files);
}

/** Client configuration for reads and cancels: bounded standard retries (throttling and 5xx back off). */
export function awsClientConfig(access: AwsAccess, o: AwsClientOptions): AwsClientConfig {
  const requestTimeout = o.requestTimeoutMs ?? AWS_REQUEST_TIMEOUT_MS;
  return {
    region: access.region,
    credentials: awsCredentials(access, o.environment),
    ...(access.endpoint !== undefined ? { endpoint: access.endpoint } : {}),
    maxAttempts: o.maxAttempts ?? AWS_READ_MAX_ATTEMPTS,
    retryMode: 'standard',
    requestHandler: {
      connectionTimeout: Math.min(AWS_CONNECT_TIMEOUT_MS, requestTimeout),
      requestTimeout,
      throwOnRequestTimeout: true,
    },
  };
}

/**
 * Client configuration for calls that start work (SubmitJob, RunTask): the
 * SDK never retries them. Throttled submits (certainly not taken) are retried
 * by the backend itself; anything else that fails is settled by the caller.
 */
export function awsSubmitClientConfig(access: AwsAccess, o: AwsClientOptions): AwsClientConfig {
  return awsClientConfig(access, { ...o, maxAttempts: 1 });
}

/** `profile p, us-east-1` or `us-east-1 via http://127.0.0.1:4566`, for messages and the clusters panel. */
export function describeAwsAccess(access: AwsAccess): string {
  const where =
    access.endpoint !== undefined ? `${access.region} via ${access.endpoint}` : access.region;
  return access.profile !== undefined ? `${where}, profile ${access.profile}` : where;
}
