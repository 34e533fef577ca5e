import { randomUUID } from 'node:crypto';
import type { ServiceId } from '../model/botocore-models';
import type { AwsError } from './aws-error';

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const CONTENT_TYPE = {
  batch: 'application/json',
  ecs: 'application/x-amz-json-1.1',
  logs: 'application/x-amz-json-1.1',
} as const satisfies Record<ServiceId, string>;

/** Batch's modelled errors carry the coral namespace after a colon; the SDK cuts it off. */
const BATCH_MODELLED = new Set(['ClientException', 'ServerException']);
const BATCH_NAMESPACE = 'http://internal.amazon.com/coral/com.amazonaws.batch.v20160810/';

export function successResponse(service: ServiceId, output: unknown): WireResponse {
  return {
    status: 200,
    headers: { 'content-type': CONTENT_TYPE[service], 'x-amzn-requestid': randomUUID() },
    body: JSON.stringify(output ?? {}),
  };
}

/**
 * restJson1 (Batch): code in X-Amzn-ErrorType, body `{"message"}`.
 * AWS JSON 1.1 (ECS, Logs): code in the body's `__type`, also sent as the header.
 */
export function errorResponse(service: ServiceId, error: AwsError): WireResponse {
  const headers: Record<string, string> = {
    'content-type': CONTENT_TYPE[service],
    'x-amzn-requestid': randomUUID(),
  };
  if (service === 'batch') {
    headers['x-amzn-errortype'] = BATCH_MODELLED.has(error.code)
      ? `${error.code}:${BATCH_NAMESPACE}`
      : error.code;
    return { status: error.httpStatus, headers, body: JSON.stringify({ message: error.message }) };
  }
  headers['x-amzn-errortype'] = error.code;
  return {
    status: error.httpStatus,
    headers,
    body: JSON.stringify({ __type: error.code, message: error.message }),
  };
}
