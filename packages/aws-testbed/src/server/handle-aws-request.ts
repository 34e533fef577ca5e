import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestLog } from '../faults/request-log';
import type { OperationFaults } from '../faults/operation-faults';
import type { ServiceId } from '../model/botocore-models';
import { checkOperation, type Violation } from '../model/model-check';
import { AwsError, serverError, validationError } from '../protocol/aws-error';
import { identifyOperation } from '../protocol/identify-operation';
import { errorResponse, successResponse, type WireResponse } from '../protocol/wire-format';
import type { AccessPolicy } from './access-policy';
import type { OperationTable } from './operation-table';

export interface RecordedViolation extends Violation {
  service: ServiceId;
  operation: string;
  direction: 'request' | 'response';
}

export interface AwsRequestDeps {
  operations: Record<ServiceId, OperationTable>;
  policy: AccessPolicy;
  faults: OperationFaults;
  log: RequestLog;
  validate: boolean;
  violations: RecordedViolation[];
}

/**
 * One AWS call, in the order a real front door applies its checks:
 * identify → authenticate → authorize → throttle / injected 5xx → delay →
 * model-check the request → run → model-check the response → injected
 * after-effect failure → answer.
 */
export async function handleAwsRequest(
  req: IncomingMessage,
  res: ServerResponse,
  body: string,
  deps: AwsRequestDeps,
): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  const target = identifyOperation(path, header(req, 'x-amz-target'));
  if (!target) {
    send(res, {
      status: 404,
      headers: { 'content-type': 'application/json' },
      body: '{"message":"Not Found"}',
    });
    return;
  }
  const service = 'unknown' in target ? target.unknown : target.service;
  const operation = target.operation;
  let accessKeyId: string | null = null;
  let input: unknown = undefined;
  const finish = (answer: WireResponse | null, errorCode?: string): void => {
    deps.log.record({
      atMs: Date.now(),
      service,
      operation,
      accessKeyId,
      status: answer?.status ?? null,
      ...(errorCode ? { errorCode } : {}),
      input,
    });
    if (answer) send(res, answer);
    else req.socket.destroy();
  };
  try {
    input = parseBody(body);
    accessKeyId = deps.policy.authenticate(service, header(req, 'authorization'));
    const handler = 'unknown' in target ? undefined : deps.operations[service][operation];
    if (!handler) {
      throw new AwsError('UnknownOperationException', `Unknown operation ${operation}`, 400);
    }
    deps.policy.authorize(service, operation);
    const refused = deps.faults.before(service, operation);
    if (refused) throw refused;
    const delayMs = deps.faults.delayMs(service, operation);
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
    if (deps.validate) {
      const found = record(
        deps,
        service,
        operation,
        'request',
        checkOperation(service, operation, 'input', input),
      );
      if (found) throw validationError(service, found);
    }
    const output = (await handler(input)) ?? {};
    if (deps.validate) {
      const found = record(
        deps,
        service,
        operation,
        'response',
        checkOperation(service, operation, 'output', output),
      );
      if (found) throw serverError(service, `aws-testbed response breaks the model: ${found}`);
    }
    const after = deps.faults.after(service, operation);
    if (after && 'drop' in after) return finish(null, 'ConnectionDropped');
    if (after) return finish(errorResponse(service, after.error), after.error.code);
    finish(successResponse(service, output));
  } catch (error) {
    const aws =
      error instanceof AwsError
        ? error
        : serverError(service, `aws-testbed internal error: ${(error as Error).message}`);
    finish(errorResponse(service, aws), aws.code);
  }
}

/** Records violations; returns a one-line summary, or null when there are none. */
function record(
  deps: AwsRequestDeps,
  service: ServiceId,
  operation: string,
  direction: 'request' | 'response',
  found: Violation[],
): string | null {
  if (found.length === 0) return null;
  for (const v of found) deps.violations.push({ ...v, service, operation, direction });
  const summary = found.map((v) => `${v.path || '(body)'}: ${v.message}`).join('; ');
  return `${found.length} validation error${found.length === 1 ? '' : 's'} detected: ${summary}`;
}

function parseBody(body: string): unknown {
  if (body.trim() === '') return {};
  try {
    return JSON.parse(body);
  } catch {
    throw new AwsError('SerializationException', 'Request body is not valid JSON', 400);
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function send(res: ServerResponse, answer: WireResponse): void {
  res.writeHead(answer.status, {
    ...answer.headers,
    'content-length': Buffer.byteLength(answer.body),
  });
  res.end(answer.body);
}
