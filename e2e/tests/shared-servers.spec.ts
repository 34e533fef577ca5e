import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { TcpCutter, testPostgresDatabase } from '@scripthut/core/testing';
import { listeningUrl, startOwnServer, type OwnServer } from '../support/own-server';

// Two servers of this spec's own on one PostgreSQL database (the project's
// test server), as a lab would run them behind a proxy: each with its own
// local cluster and a task source on it.

const TASKS = [
  { id: 'slow', name: 'Slow', command: 'sleep 2; echo done' },
  { id: 'fails', name: 'Fails', command: 'exit 4' },
];

let database: Awaited<ReturnType<typeof testPostgresDatabase>>;
let a: OwnServer<string>;
let b: OwnServer<string>;

const server = (cluster: string): Promise<OwnServer<string>> =>
  startOwnServer({
    prefix: `scripthut-e2e-shared-${cluster}-`,
    configFor: (dir) => ({
      clusters: [{ name: cluster, type: 'local', max_concurrent: 2, log_dir: join(dir, 'logs') }],
      task_sources: [
        { name: `${cluster}-tasks`, cluster, command: `echo '${JSON.stringify(TASKS)}'` },
      ],
      settings: {
        poll_interval: 5,
        data_dir: join(dir, 'data'),
        database: database.url,
        database_password_env: 'HUT_E2E_DB_PASSWORD',
      },
    }),
    env: { HUT_E2E_DB_PASSWORD: database.password },
    ready: listeningUrl,
  });

test.beforeAll(async () => {
  database = await testPostgresDatabase();
  a = await server('here');
  b = await server('there');
});
test.afterAll(async () => {
  await a?.stop();
  await b?.stop();
  await database?.drop();
});

/** Starts a queue through a server's REST route, as a script would; returns its id. */
async function run(url: string, source: string): Promise<string> {
  const res = await fetch(`${url}/task-sources/${source}/run`, {
    method: 'POST',
    headers: { Origin: url },
  });
  const body = (await res.json()) as { queue_id?: string };
  expect(res.status).toBe(201);
  return body.queue_id!;
}

const finished = async (page: Page, id: string): Promise<void> => {
  await expect(page.getByTestId(`queue-row-${id}`)).toHaveAttribute('data-status', 'failed', {
    timeout: 30_000,
  });
  await expect(page.getByTestId(`queue-progress-${id}`)).toContainText(
    '2/2 done · 1 completed · 1 failed',
  );
};

test('a queue started through one server runs live on the page of the other', async ({ page }) => {
  await page.goto(`${b.started}/queues`);
  await expect(page.getByTestId('connection-indicator')).toHaveAttribute('data-state', 'live');
  const id = await run(a.started, 'here-tasks');
  await expect(page.getByTestId(`queue-row-${id}`)).toBeVisible();
  await finished(page, id);
});

test('behind a proxy, a page whose server goes away resumes on the other without reloading', async ({
  page,
}) => {
  const proxy = await TcpCutter.start(new URL(a.started));
  // A page reloads its state (clusters.list) only when the stream tells it events were lost.
  const reloads: string[] = [];
  page.on('request', (r) => {
    // Batched queries share one URL: /trpc/a.b,clusters.list,c.d?batch=1…
    const procedures = new URL(r.url()).pathname.replace(/^\/trpc\//, '').split(',');
    if (procedures.includes('clusters.list')) reloads.push(r.url());
  });
  try {
    await page.goto(`${proxy.url}/queues`);
    const indicator = page.getByTestId('connection-indicator');
    await expect(indicator).toHaveAttribute('data-state', 'live');
    const first = await run(a.started, 'here-tasks');
    await finished(page, first);
    const loadsBefore = reloads.length;

    proxy.cut();
    await expect(indicator).toHaveAttribute('data-state', 'reconnecting');
    await a.stop();
    proxy.retarget(new URL(b.started));
    // Changes the page cannot hear while it is cut off: a queue runs to its end on the other server.
    const second = await run(b.started, 'there-tasks');
    await expect
      .poll(
        async () => {
          const list = (await (await fetch(`${b.started}/queues/list`)).json()) as {
            queue_id: string;
            status: string;
          }[];
          return list.find((q) => q.queue_id === second)?.status;
        },
        { timeout: 30_000 },
      )
      .toBe('failed');

    proxy.restore();
    await expect(indicator).toHaveAttribute('data-state', 'live', { timeout: 30_000 });
    await finished(page, second);
    expect(reloads.length).toBe(loadsBefore);
  } finally {
    await proxy.close();
  }
});
