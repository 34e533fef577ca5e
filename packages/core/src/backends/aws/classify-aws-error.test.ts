import { describe, expect, it } from 'vitest';
import { awsFailureOf, deniedActionOf } from './aws-error';
import {
  awsCoreError,
  connectionProblemOf,
  submitOutcomeOf,
  type AwsCallContext,
} from './classify-aws-error';
import { sdkError, socketError } from './testing';

const ctx: AwsCallContext = {
  service: 'AWS Batch',
  action: 'batch:SubmitJob',
  access: { region: 'us-east-1' },
};
const withProfile: AwsCallContext = {
  ...ctx,
  access: { region: 'us-east-1', profile: 'research' },
};
const denied = sdkError(
  'AccessDeniedException',
  'User: arn:aws:iam::123456789012:user/bob is not authorized to perform: batch:ListJobs on resource: arn:aws:batch:us-east-1:123456789012:job-queue/q',
  403,
);

describe('awsFailureOf', () => {
  it.each([
    ['throttled 429', sdkError('TooManyRequestsException', 'Too Many Requests', 429), 'throttled'],
    ['ECS throttling', sdkError('ThrottlingException', 'Rate exceeded', 400), 'throttled'],
    ['client exception', sdkError('ClientException', 'bad jobName', 400), 'invalid'],
    ['server exception', sdkError('ServerException', 'oops', 500, 'server'), 'server'],
    ['502 unnamed', sdkError('Unknown', 'bad gateway', 502, 'server'), 'server'],
    ['access denied', denied, 'accessDenied'],
    [
      'expired token',
      sdkError(
        'ExpiredTokenException',
        'The security token included in the request is expired',
        400,
      ),
      'expired',
    ],
    [
      'unknown key',
      sdkError(
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
        400,
      ),
      'badCredentials',
    ],
    [
      'signature',
      sdkError('InvalidSignatureException', 'Check your AWS Secret Access Key', 403),
      'badCredentials',
    ],
    [
      'no credentials',
      Object.assign(new Error('Could not load credentials from any providers'), {
        name: 'CredentialsProviderError',
      }),
      'noCredentials',
    ],
    [
      'expired SSO',
      Object.assign(
        new Error(
          'The SSO session associated with this profile has expired or is otherwise invalid. To refresh this SSO session run aws sso login',
        ),
        { name: 'CredentialsProviderError' },
      ),
      'expired',
    ],
    ['refused', socketError('ECONNREFUSED'), 'noConnection'],
    ['dns', socketError('ENOTFOUND'), 'noConnection'],
    ['reset', socketError('ECONNRESET'), 'connectionLost'],
    [
      'timeout',
      Object.assign(new Error('Request timed out'), { name: 'TimeoutError' }),
      'connectionLost',
    ],
    [
      'log stream missing',
      sdkError('ResourceNotFoundException', 'The specified log stream does not exist.', 400),
      'notFound',
    ],
    ['aborted', Object.assign(new Error('aborted'), { name: 'AbortError' }), 'aborted'],
    ['not an error', 'boom', 'unknown'],
  ])('%s', (_label, e, kind) => {
    expect(awsFailureOf(e).kind).toBe(kind);
  });

  it('keeps no message of credential or signature errors (ours are written instead)', () => {
    expect(
      awsFailureOf(sdkError('InvalidSignatureException', 'Check your AWS Secret Access Key', 403))
        .message,
    ).toBeNull();
  });

  it('reads the denied action and principal from an AccessDenied message', () => {
    expect(deniedActionOf((denied).message)).toEqual({
      action: 'batch:ListJobs',
      principal: 'arn:aws:iam::123456789012:user/bob',
    });
  });
});

describe('connectionProblemOf', () => {
  it('names the denied action and who was denied, with the fix', () => {
    expect(connectionProblemOf(denied, ctx)).toEqual({
      state: 'auth_failed',
      lastError:
        'batch:ListJobs is not allowed for arn:aws:iam::123456789012:user/bob: add it to the IAM policy (AccessDeniedException)',
    });
  });

  it("names the call's own action when AWS does not say which", () => {
    expect(
      connectionProblemOf(sdkError('AccessDeniedException', 'denied', 403), ctx)?.lastError,
    ).toMatch(/^batch:SubmitJob is not allowed for these credentials/);
  });

  it('says how to provide credentials when none are found', () => {
    const e = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    });
    expect(connectionProblemOf(e, ctx)?.lastError).toMatch(
      /^no AWS credentials found: set aws.profile or AWS_ACCESS_KEY_ID/,
    );
    expect(connectionProblemOf(e, withProfile)?.lastError).toMatch(
      /profile research.*aws sso login --profile research/,
    );
  });

  it('tells to log in again when the session expired', () => {
    expect(
      connectionProblemOf(sdkError('ExpiredTokenException', 'expired', 400), withProfile),
    ).toEqual({
      state: 'auth_failed',
      lastError:
        'the AWS session has expired (ExpiredTokenException): run aws sso login --profile research',
    });
  });

  it('reports a refused connection as unreachable with the region and endpoint', () => {
    const c = { ...ctx, access: { region: 'eu-west-1', endpoint: 'http://127.0.0.1:9' } };
    expect(connectionProblemOf(socketError('ECONNREFUSED'), c)).toEqual({
      state: 'unreachable',
      lastError:
        'cannot reach AWS Batch (eu-west-1 via http://127.0.0.1:9): ECONNREFUSED; check the network, aws.region and aws.endpoint',
    });
  });

  it('says nothing about the connection for a throttled call or a refused request', () => {
    expect(connectionProblemOf(sdkError('TooManyRequestsException', 'x', 429), ctx)).toBeNull();
    expect(connectionProblemOf(sdkError('ClientException', 'x', 400), ctx)).toBeNull();
  });
});

describe('submitOutcomeOf', () => {
  it.each([
    ['throttled', sdkError('TooManyRequestsException', 'Too Many Requests', 429), 'notSubmitted'],
    ['access denied', denied, 'notSubmitted'],
    [
      'no credentials',
      Object.assign(new Error('none'), { name: 'CredentialsProviderError' }),
      'notSubmitted',
    ],
    ['connection refused', socketError('ECONNREFUSED'), 'notSubmitted'],
    ['validation', sdkError('ClientException', 'jobName is invalid', 400), 'rejected'],
    ['server error', sdkError('ServerException', 'internal', 500, 'server'), 'uncertain'],
    ['503', sdkError('ServiceUnavailable', 'unavailable', 503, 'server'), 'uncertain'],
    ['connection reset', socketError('ECONNRESET'), 'uncertain'],
    ['timeout', Object.assign(new Error('timed out'), { name: 'TimeoutError' }), 'uncertain'],
    ['unknown', new Error('???'), 'uncertain'],
  ])('%s -> %s', (_label, e, kind) => {
    expect(submitOutcomeOf(e, ctx).kind).toBe(kind);
  });

  it("keeps the service's words in a rejection", () => {
    expect(
      submitOutcomeOf(sdkError('ClientException', 'Job queue q does not exist', 400), ctx),
    ).toEqual({
      kind: 'rejected',
      error: 'AWS Batch refused batch:SubmitJob: ClientException: Job queue q does not exist',
    });
  });
});

describe('awsCoreError', () => {
  it.each([
    [denied, 'CLUSTER_UNAVAILABLE'],
    [sdkError('TooManyRequestsException', 'x', 429), 'RATE_LIMITED'],
    [sdkError('ClientException', 'x', 400), 'SCHEDULER_ERROR'],
    [socketError('ECONNRESET'), 'CLUSTER_UNAVAILABLE'],
  ])('%s -> %s', (e, code) => {
    expect(awsCoreError(e, ctx).code).toBe(code);
  });
});
