import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { TestbedSetup } from './control/testbed-control';
import { startAwsTestServer } from './server/aws-test-server';

const USAGE = `usage: aws-testbed [--port N] [--setup file.json] [--time-scale X] [--retention-ms N] [--no-validate]

Serves AWS Batch, ECS and CloudWatch Logs on 127.0.0.1 for SDK clients
(endpoint http://127.0.0.1:N, any credentials) and the control API under
/_testbed/. Prints one line "aws-testbed listening on http://127.0.0.1:N".`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      setup: { type: 'string' },
      'time-scale': { type: 'string', default: '1' },
      'retention-ms': { type: 'string' },
      'no-validate': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const setup = values.setup
    ? (JSON.parse(readFileSync(values.setup, 'utf8')) as TestbedSetup)
    : undefined;
  const server = await startAwsTestServer({
    port: Number(values.port),
    timeScale: Number(values['time-scale']),
    validate: !values['no-validate'],
    ...(values['retention-ms'] ? { finishedRetentionMs: Number(values['retention-ms']) } : {}),
    ...(setup ? { setup } : {}),
  });
  process.stdout.write(`aws-testbed listening on ${server.url}\n`);
  const stop = (): void => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`aws-testbed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
