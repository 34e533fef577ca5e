import type { IncomingMessage, ServerResponse } from 'node:http';
import { CONTROL_METHODS, type TestbedControl } from './testbed-control';

export const CONTROL_PREFIX = '/_testbed/';

/**
 * `POST /_testbed/<method>` with the method's argument as the JSON body;
 * answers `{"result": ...}` (200), or `{"error": message}` with 400 for an
 * unknown method or bad JSON and 500 when the method throws.
 */
export function handleControlRequest(
  control: TestbedControl,
  req: IncomingMessage,
  res: ServerResponse,
  body: string,
): void {
  const name = new URL(req.url ?? '/', 'http://x').pathname.slice(CONTROL_PREFIX.length);
  const method = CONTROL_METHODS.find((m) => m === name);
  if (!method || (req.method !== 'POST' && req.method !== 'GET')) {
    return reply(res, 404, {
      error: `no control method ${name}; try one of ${CONTROL_METHODS.join(', ')}`,
    });
  }
  let arg: unknown;
  try {
    arg = body.trim() === '' ? {} : JSON.parse(body);
  } catch {
    return reply(res, 400, { error: 'body is not JSON' });
  }
  try {
    const methods = control as unknown as Record<string, (a: unknown) => unknown>;
    const result = methods[method]?.(arg);
    reply(res, 200, { result: result ?? null });
  } catch (error) {
    reply(res, 500, { error: (error as Error).message });
  }
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
