import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort } from '@scripthut/core/testing';
import { startHttpReceiver, type HttpReceiver } from '@scripthut/core/testing/notifications';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueStatus, runSource, trpcClient } from './queue-helpers';
import { readTestSecrets } from './secret-run';
import { seededRandom, ServerProcess, waitFor } from './server-process';

// The server is killed with SIGKILL (no shutdown code runs) again and again
// while a burst of job failures is being recorded and delivered to a signed
// webhook, and started again each time. Local cluster only: nothing shared
// is stopped, so this lives with the integration tests.
const TASKS = 120;
const EVENTS = TASKS + 1; // one job.failed per task, and queue.finished
const MIN_KILLS = 4;
const MAX_KILLS = 10;
const SEED = Number(process.env.SCRIPTHUT_FAULT_SEED ?? Date.now() % 1_000_000);
// readTestSecrets throws when the list is short, so the secret is there.
const SECRET = readTestSecrets().webhookSecret!;

let dir: string;
let rx: HttpReceiver;
let server: ServerProcess;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scripthut-notify-kill-'));
  // A slow receiver: each answer takes 75 ms, so delivering the burst takes seconds and kills land mid-request.
  rx = await startHttpReceiver({ secret: SECRET, delayMs: 75 });
  const tasks = Array.from({ length: TASKS }, (_, i) => ({
    id: `t${String(i).padStart(3, '0')}`,
    name: `burst t${String(i).padStart(3, '0')}`,
    command: 'echo failing; exit 3',
  }));
  const config = {
    clusters: [{ name: 'local', type: 'local', max_concurrent: 40, log_dir: join(dir, 'logs') }],
    task_sources: [
      {
        name: 'burst',
        cluster: 'local',
        command: `echo '${JSON.stringify(tasks)}'`,
        max_concurrent: 40,
      },
    ],
    settings: { poll_interval: 5, data_dir: join(dir, 'data') },
    notifications: {
      channels: [
        {
          name: 'hook',
          type: 'webhook',
          url: rx.url,
          secret_env: 'SCRIPTHUT_TEST_WEBHOOK_SECRET',
          allow_private: true,
        },
      ],
      rules: [
        {
          name: 'burst',
          events: ['job.failed', 'queue.finished'],
          channels: ['hook'],
          digest_window_seconds: 0,
        },
      ],
    },
  };
  const configPath = join(dir, 'scripthut.yaml');
  writeFileSync(configPath, JSON.stringify(config, null, 2));
  server = new ServerProcess({
    configPath,
    port: await freeLoopbackPort(),
    home: dir,
    logPath: join(dir, 'server.log'),
    env: { SCRIPTHUT_TEST_WEBHOOK_SECRET: SECRET },
  });
});

afterAll(async () => {
  await server?.dispose();
  await rx?.close();
});

/** A third of the kills land in startup recovery, the rest anywhere in the next 3 s. */
function nextKillDelayMs(random: () => number): number {
  return random() < 0.33 ? 50 + random() * 800 : 300 + random() * 2_700;
}

interface Body {
  type: string;
  data: { message_id: string; event_ids: string[] };
}

describe('server killed with SIGKILL while a burst of notifications is delivered', () => {
  it('delivers every recorded event once per webhook id, with as many ids as events', async () => {
    console.log(
      `notifications-sigkill: seed ${SEED} (rerun with SCRIPTHUT_FAULT_SEED=${SEED}); log ${join(dir, 'server.log')}`,
    );
    const random = seededRandom(SEED);
    const started = Date.now();
    await server.start();
    const queueId = await runSource(server.url, 'burst');
    const kills: { afterMs: number; received: number; queue: string | undefined }[] = [];
    const delivered = (): number => new Set(rx.received.map((r) => r.headers['webhook-id'])).size;

    while (kills.length < MAX_KILLS && delivered() < EVENTS) {
      const delayMs = Math.round(nextKillDelayMs(random));
      await new Promise((r) => setTimeout(r, delayMs));
      if (delivered() >= EVENTS) break;
      const queue = await queueStatus(server.url, queueId);
      await server.stop('SIGKILL');
      kills.push({ afterMs: delayMs, received: rx.received.length, queue });
      await server.start();
    }
    const api = trpcClient(server.url);
    const deliveries = await waitFor(
      'every notification to be sent',
      async () => {
        const list = await api.notifications.deliveries.query({ limit: 500 });
        return list.length >= EVENTS && list.every((d) => d.state === 'sent') ? list : undefined;
      },
      120_000,
      500,
    );
    const events = await api.notifications.recent.query({ limit: 500 });
    const finalStatus = await queueStatus(server.url, queueId);
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    console.log(
      `notifications-sigkill: ${kills.length} kills at ${kills.map((k) => `+${k.afterMs}ms(${k.received} received, queue ${k.queue ?? 'down'})`).join(' ')}; ` +
        `${rx.received.length} requests for ${delivered()} webhook ids after ${seconds} s`,
    );
    await server.stop('SIGTERM');

    // What the server recorded: one event per failed task and one for the queue.
    expect(finalStatus).toBe('failed');
    const ofType = (type: string) => events.filter((e) => e.type === type);
    expect(new Set(ofType('job.failed').map((e) => e.jobId)).size).toBe(TASKS);
    expect(ofType('queue.finished').map((e) => e.queueId)).toEqual([queueId]);
    expect(events).toHaveLength(EVENTS);

    // What the receiver saw: every request signed; a webhook id seen twice (the attempt a kill cut short) carries the same body.
    expect(rx.received.every((r) => r.signatureValid === true)).toBe(true);
    const bodyById = new Map<string, string>();
    for (const r of rx.received) {
      const id = String(r.headers['webhook-id']);
      const first = bodyById.get(id);
      if (first === undefined) bodyById.set(id, r.body);
      else expect(r.body).toBe(first);
    }
    expect(bodyById.size).toBe(EVENTS);
    expect(deliveries).toHaveLength(EVENTS);
    expect(rx.received.length - bodyById.size).toBeLessThanOrEqual(kills.length);

    // Every recorded event reached the receiver in exactly one webhook id.
    const carried = [...bodyById.values()].flatMap((b) => (JSON.parse(b) as Body).data.event_ids);
    expect(carried.sort()).toEqual(events.map((e) => e.id).sort());
    for (const [id, body] of bodyById) expect((JSON.parse(body) as Body).data.message_id).toBe(id);

    expect(kills.length).toBeGreaterThanOrEqual(MIN_KILLS);
  }, 240_000);
});
