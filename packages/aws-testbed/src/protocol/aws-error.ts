import type { ServiceId } from '../model/botocore-models';

/**
 * An error answered the way the service answers it: `code` becomes the
 * X-Amzn-ErrorType header (and `__type` for AWS JSON), which the SDK turns
 * into the thrown error's `name`.
 */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly httpStatus: number,
  ) {
    super(message);
    this.name = code;
  }
}

/** Batch's modelled client error (HTTP 400); everything a request does wrong. */
export const batchClientError = (message: string): AwsError =>
  new AwsError('ClientException', message, 400);

export const ecsError = (code: EcsErrorCode, message: string): AwsError =>
  new AwsError(code, message, code === 'ServerException' ? 500 : 400);

export type EcsErrorCode =
  | 'ClientException'
  | 'InvalidParameterException'
  | 'ClusterNotFoundException'
  | 'ConflictException'
  | 'ServerException';

export const logsError = (code: LogsErrorCode, message: string): AwsError =>
  new AwsError(code, message, code === 'ServiceUnavailableException' ? 500 : 400);

export type LogsErrorCode =
  | 'InvalidParameterException'
  | 'ResourceNotFoundException'
  | 'ResourceAlreadyExistsException'
  | 'ServiceUnavailableException';

/** The throttling answer each service gives: Batch 429 from its front door, JSON services 400. */
export function throttlingError(service: ServiceId): AwsError {
  return service === 'batch'
    ? new AwsError('TooManyRequestsException', 'Too Many Requests', 429)
    : new AwsError('ThrottlingException', 'Rate exceeded', 400);
}

/** A server-side failure in each service's own vocabulary. */
export function serverError(service: ServiceId, message: string, httpStatus = 500): AwsError {
  const code = service === 'logs' ? 'ServiceUnavailableException' : 'ServerException';
  return new AwsError(code, message, httpStatus);
}

/** "1 validation error detected" style answer for a request that breaks the model. */
export function validationError(service: ServiceId, message: string): AwsError {
  if (service === 'batch') return batchClientError(message);
  return new AwsError('InvalidParameterException', message, 400);
}

/** Auth failures: 403 from Batch's REST front door, 400 from the AWS JSON services. */
export function authError(service: ServiceId, code: string, message: string): AwsError {
  return new AwsError(code, message, service === 'batch' ? 403 : 400);
}
