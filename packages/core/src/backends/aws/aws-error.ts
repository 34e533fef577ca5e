/**
 * What kind of failure an AWS SDK call ended with, read from the fields the
 * SDK sets (`name` = the service's error code, `$metadata.httpStatusCode`,
 * Node's `code` for socket errors). Pure; the classifiers build on it.
 */
export type AwsFailureKind =
  /** Credentials could not be found or loaded: nothing was sent. */
  | 'noCredentials'
  /** Session or SSO token expired. */
  | 'expired'
  /** Keys unknown to AWS or a bad signature. */
  | 'badCredentials'
  | 'accessDenied'
  | 'throttled'
  /** The service answered that the request is wrong (4xx). */
  | 'invalid'
  | 'notFound'
  /** 5xx: the request may or may not have taken effect. */
  | 'server'
  /** No connection was made: nothing was sent. */
  | 'noConnection'
  /** The connection broke or timed out after the request may have been sent. */
  | 'connectionLost'
  | 'aborted'
  | 'unknown';

export interface AwsFailure {
  kind: AwsFailureKind;
  /** The service's error code or Node's error code, e.g. `TooManyRequestsException`, `ECONNREFUSED`. */
  code: string;
  /** The service's message; for credential and signature errors, null (we write our own words). */
  message: string | null;
  httpStatus: number | null;
}

const THROTTLING = new Set([
  'TooManyRequestsException',
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'RequestLimitExceeded',
  'SlowDown',
  'TransactionInProgressException',
  'BandwidthLimitExceeded',
  'ProvisionedThroughputExceededException',
  'LimitExceededException',
]);
const EXPIRED = new Set([
  'ExpiredTokenException',
  'ExpiredToken',
  'TokenRefreshRequired',
  'RequestExpired',
]);
const BAD_CREDENTIALS = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'InvalidAccessKeyId',
  'AuthFailure',
]);
const ACCESS_DENIED = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'UnauthorizedOperation',
  'UnauthorizedException',
]);
const NOT_FOUND = new Set([
  'ResourceNotFoundException',
  'ClusterNotFoundException',
  'NotFoundException',
]);
/** Socket errors raised before any byte of the request could leave. */
const NO_CONNECTION = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
]);
const CONNECTION_LOST = new Set([
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ECONNABORTED',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'socket hang up',
]);

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  $fault?: unknown;
  cause?: unknown;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** The AwsFailure of anything an SDK call rejected with. */
export function awsFailureOf(e: unknown): AwsFailure {
  const err = (typeof e === 'object' && e !== null ? e : {}) as ErrorLike;
  const name = str(err.name) ?? 'Error';
  const nodeCode = str(err.code) ?? str((err.cause as ErrorLike | undefined)?.code);
  const status =
    typeof err.$metadata?.httpStatusCode === 'number' ? err.$metadata.httpStatusCode : null;
  const message = str(err.message);
  const fact = (kind: AwsFailureKind, code: string, keepMessage = true): AwsFailure => ({
    kind,
    code,
    message: keepMessage ? message : null,
    httpStatus: status,
  });
  if (name === 'AbortError') return fact('aborted', name);
  if (name === 'CredentialsProviderError' || name === 'TokenProviderError') {
    const expired = message !== null && /expired|sso login|refresh/i.test(message);
    return fact(expired ? 'expired' : 'noCredentials', name, false);
  }
  if (THROTTLING.has(name) || status === 429) return fact('throttled', name);
  if (EXPIRED.has(name)) return fact('expired', name, false);
  if (BAD_CREDENTIALS.has(name)) return fact('badCredentials', name, false);
  if (ACCESS_DENIED.has(name) || status === 403) return fact('accessDenied', name);
  if (NOT_FOUND.has(name)) return fact('notFound', name);
  if (nodeCode !== null && NO_CONNECTION.has(nodeCode)) return fact('noConnection', nodeCode);
  if (nodeCode !== null && CONNECTION_LOST.has(nodeCode)) return fact('connectionLost', nodeCode);
  if (CONNECTION_LOST.has(name) || (message !== null && CONNECTION_LOST.has(message)))
    return fact('connectionLost', name);
  if (status !== null && status >= 500) return fact('server', name);
  if (err.$fault === 'server') return fact('server', name);
  if ((status !== null && status >= 400) || err.$fault === 'client') return fact('invalid', name);
  return fact('unknown', nodeCode ?? name);
}

/** `batch:ListJobs` and `arn:aws:iam::1:user/bob` from "User: arn:… is not authorized to perform: batch:ListJobs on resource: …". */
export function deniedActionOf(message: string | null): {
  action: string | null;
  principal: string | null;
} {
  if (message === null) return { action: null, principal: null };
  const action = /perform:\s*([a-z0-9-]+:[A-Za-z0-9*]+)/.exec(message)?.[1] ?? null;
  const principal = /User:\s*(arn:[^\s]+)/.exec(message)?.[1] ?? null;
  return { action, principal };
}
