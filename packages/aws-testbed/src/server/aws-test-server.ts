import { rmSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createControl } from '../control/create-control';
import { CONTROL_PREFIX, handleControlRequest } from '../control/control-routes';
import type { TestbedControl } from '../control/testbed-control';
import { loadServiceModel } from '../model/botocore-models';
import { createTestbed } from './create-testbed';
import { handleAwsRequest } from './handle-aws-request';
import type { AwsTestServerOptions } from './server-options';

export interface AwsTestServer extends TestbedControl {
  /** `http://127.0.0.1:<port>`: the `endpoint` for every SDK client. */
  readonly url: string;
  readonly port: number;
  /** Stops the server, kills every job process, removes the jobs' temp directories. */
  close(): Promise<void>;
}

/**
 * One loopback HTTP server that answers AWS Batch (restJson1), ECS and
 * CloudWatch Logs (AWS JSON 1.1) for the real SDK clients, runs each job's
 * command as a local process, and serves the control API under /_testbed/.
 */
export async function startAwsTestServer(
  options: AwsTestServerOptions = {},
): Promise<AwsTestServer> {
  if (options.validate ?? true) {
    // Fail at start, not on the first request, when the models are missing.
    for (const s of ['batch', 'ecs', 'logs'] as const) loadServiceModel(s);
  }
  const testbed = createTestbed(options);
  const control = createControl(testbed);
  if (options.setup) control.setup(options.setup);
  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      if (req.url?.startsWith(CONTROL_PREFIX)) return handleControlRequest(control, req, res, body);
      return handleAwsRequest(req, res, body, testbed.deps);
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | null = null;
  return {
    ...control,
    url: `http://${host}:${port}`,
    port,
    close() {
      closed ??= new Promise<void>((resolve) => {
        testbed.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(() => rmSync(testbed.workRoot, { recursive: true, force: true }));
      return closed;
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
