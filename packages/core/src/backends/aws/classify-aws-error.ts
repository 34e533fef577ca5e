import type { SubmitOutcome } from '../backend';
import type { ConnectionInfo } from '../../domain/connection';
import { CoreError } from '../../runtime/errors';
import { describeAwsAccess, type AwsAccess } from './aws-access';
import { awsFailureOf, deniedActionOf, type AwsFailure } from './aws-error';

/** One SDK call, named for messages. */
export interface AwsCallContext {
  /** `AWS Batch`, `Amazon ECS`, `CloudWatch Logs`. */
  service: string;
  /** The IAM action, `batch:ListJobs`. */
  action: string;
  access: AwsAccess;
}

const codeText = (f: AwsFailure): string =>
  f.message !== null ? `${f.code}: ${f.message}` : f.code;

/**
 * The connection problem an error shows, in words with how to fix it; null
 * when the error says nothing about the connection (a refused spec, a
 * throttled call, a missing log stream). Messages never hold secrets:
 * credential and signature errors are described in our own words.
 */
export function connectionProblemOf(e: unknown, c: AwsCallContext): ConnectionInfo | null {
  const f = awsFailureOf(e);
  const where = describeAwsAccess(c.access);
  const profile = c.access.profile;
  switch (f.kind) {
    case 'noCredentials':
      return {
        state: 'auth_failed',
        lastError:
          profile !== undefined
            ? `no AWS credentials found for profile ${profile}: check ~/.aws/config and ~/.aws/credentials, or run aws sso login --profile ${profile}`
            : 'no AWS credentials found: set aws.profile or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run ScriptHut with an instance or container role',
      };
    case 'expired':
      return {
        state: 'auth_failed',
        lastError: `the AWS session has expired (${f.code}): ${profile !== undefined ? `run aws sso login --profile ${profile}` : 'renew the credentials (aws sso login, or new temporary keys)'}`,
      };
    case 'badCredentials':
      return {
        state: 'auth_failed',
        lastError: `AWS does not accept these credentials (${f.code}): check the access key of ${profile !== undefined ? `profile ${profile}` : 'the environment'} and the region (${c.access.region})`,
      };
    case 'accessDenied': {
      const denied = deniedActionOf(f.message);
      const action = denied.action ?? c.action;
      const who = denied.principal ?? 'these credentials';
      return {
        state: 'auth_failed',
        lastError: `${action} is not allowed for ${who}: add it to the IAM policy (${f.code})`,
      };
    }
    case 'noConnection':
    case 'connectionLost':
      return {
        state: 'unreachable',
        lastError: `cannot reach ${c.service} (${where}): ${f.code}; check the network, aws.region and aws.endpoint`,
      };
    case 'server':
      return {
        state: 'unreachable',
        lastError: `${c.service} failed to answer ${c.action} (${where}): ${codeText(f)}; retried at the next poll`,
      };
    case 'throttled':
    case 'invalid':
    case 'notFound':
    case 'aborted':
    case 'unknown':
      return null;
  }
}

/**
 * The outcome of a submit call (SubmitJob, RunTask) that rejected. Only a
 * request that certainly did not take effect is `notSubmitted` (throttled,
 * refused at authentication, no connection made) or `rejected` (the service
 * refused the request itself); everything else (5xx, a timeout, a reset
 * connection) is `uncertain` and must be settled by a lookup by tag.
 */
export function submitOutcomeOf(
  e: unknown,
  c: AwsCallContext,
): Exclude<SubmitOutcome, { kind: 'submitted' }> {
  const f = awsFailureOf(e);
  const problem = connectionProblemOf(e, c)?.lastError;
  switch (f.kind) {
    case 'throttled':
      return {
        kind: 'notSubmitted',
        message: `${c.service} throttled ${c.action} (${f.code}); nothing was submitted`,
      };
    case 'noCredentials':
    case 'expired':
    case 'badCredentials':
    case 'accessDenied':
    case 'noConnection':
      return { kind: 'notSubmitted', message: problem ?? codeText(f) };
    case 'invalid':
    case 'notFound':
      return { kind: 'rejected', error: `${c.service} refused ${c.action}: ${codeText(f)}` };
    case 'server':
    case 'connectionLost':
    case 'aborted':
    case 'unknown':
      return {
        kind: 'uncertain',
        message: `${c.action} may have taken effect: ${problem ?? codeText(f)}`,
      };
  }
}

/** The error a backend method rejects with for a failed call (the monitor shows its message). */
export function awsCoreError(e: unknown, c: AwsCallContext): CoreError {
  if (e instanceof CoreError) return e;
  const f = awsFailureOf(e);
  const problem = connectionProblemOf(e, c);
  if (problem !== null)
    return new CoreError('CLUSTER_UNAVAILABLE', problem.lastError ?? f.code, { code: f.code });
  if (f.kind === 'throttled') {
    return new CoreError(
      'RATE_LIMITED',
      `${c.service} throttled ${c.action} (${f.code}) after retries; the account's API rate is shared by every client`,
      { code: f.code },
    );
  }
  if (f.kind === 'aborted')
    return new CoreError('COMMAND_ABORTED', `${c.action} was abandoned`, { code: f.code });
  return new CoreError('SCHEDULER_ERROR', `${c.service} ${c.action} failed: ${codeText(f)}`, {
    code: f.code,
  });
}
