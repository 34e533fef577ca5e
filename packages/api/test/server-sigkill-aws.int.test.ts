import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startAwsTestServer, type AwsTestServer } from '@scripthut/aws-testbed';
import { freeLoopbackPort, inspectDatabase } from '@scripthut/core/testing';
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  AWS_REGION,
  AWS_TEST_KEYS,
  batchRecordsOfQueue,
  ECS_CLUSTER,
  ecsRecordsOfQueue,
  JOB_DEFINITION,
  JOB_QUEUE,
  SIGKILL_SETUP,
  TASK_DEFINITION,
  tagOfSubmitInput,
  type AwsRecords,
} from './aws-queue-records';
import {
  auditAgainst,
  queueCounts,
  queueStatus,
  runSource,
  writeServerConfig,
} from './queue-helpers';
import {
  afterRandomDelay,
  describeKills,
  killRepeatedly,
  type KillPoint,
  seededRandom,
  ServerProcess,
  waitFor,
} from './server-process';

// The real server (dist/cli.js) crashes (SIGKILL, no shutdown code) at random
// points of a 60-task queue on an AWS Batch job queue and on an ECS cluster of
// the project's AWS test server, and is started again each time. Then AWS's
// own records are compared with ScriptHut's: exactly one job per task, and
// its final state and exit code. Nothing here touches the Slurm testbed.
const TASKS = 60;
const FAIL_EVERY = 12;
const MAX_CONCURRENT = 15;
const MIN_KILLS = 5;
const MAX_KILLS = 10;
const SEED = Number(process.env.SCRIPTHUT_FAULT_SEED ?? Date.now() % 1_000_000);
// Every SubmitJob and RunTask is carried out, then answered, this long after
// it arrives: longer than the server takes to restart, so a call in flight at
// a kill can take effect after the restarted server first looked for it.
const SUBMIT_LATENCY_MS = 1_000;

/** Tasks of 1-4 s each (seeded), every FAIL_EVERY-th exiting with its own code (10, 11, …). */
function tasksCommand(random: () => number): { command: string; failing: number } {
  const tasks = Array.from({ length: TASKS }, (_, i) => {
    const id = `t${String(i).padStart(3, '0')}`;
    const seconds = (1 + random() * 3).toFixed(1);
    const fails = i % FAIL_EVERY === FAIL_EVERY - 1;
    const exit = fails ? `; exit ${10 + Math.floor(i / FAIL_EVERY)}` : '';
    return {
      id,
      name: `sigkill ${id}`,
      command: `sleep ${seconds}; echo ${id} done${exit}`,
      memory: '256M',
    };
  });
  const json = JSON.stringify(tasks);
  if (json.includes("'")) throw new Error('task JSON must not contain a single quote');
  return { command: `echo '${json}'`, failing: TASKS / FAIL_EVERY };
}

interface Kind {
  kind: 'batch' | 'ecs';
  submitOperation: 'batch:SubmitJob' | 'ecs:RunTask';
  cluster: (endpoint: string) => { name: string; type: string } & Record<string, unknown>;
  records: (endpoint: string, queueId: string) => Promise<AwsRecords>;
}

const KINDS: Kind[] = [
  {
    kind: 'batch',
    submitOperation: 'batch:SubmitJob',
    cluster: (endpoint) => ({
      name: 'aws-batch',
      type: 'batch',
      aws: { region: AWS_REGION, endpoint, job_queue: JOB_QUEUE },
      job_definition: JOB_DEFINITION,
      max_concurrent: MAX_CONCURRENT,
    }),
    records: batchRecordsOfQueue,
  },
  {
    kind: 'ecs',
    submitOperation: 'ecs:RunTask',
    cluster: (endpoint) => ({
      name: 'aws-ecs',
      type: 'ecs',
      aws: { region: AWS_REGION, endpoint, cluster_name: ECS_CLUSTER },
      task_definition: TASK_DEFINITION,
      launch_type: 'FARGATE',
      network: { subnets: ['subnet-0sigkill'], security_groups: ['sg-0sigkill'] },
      max_concurrent: MAX_CONCURRENT,
    }),
    records: ecsRecordsOfQueue,
  },
];

/**
 * The first kill point, and two in five of the others, are aimed at a
 * submission under way: the server shows tasks `submitting` (intents
 * recorded, answers not), then a seeded 0-2 answer times later the
 * SubmitJob/RunTask calls are unsent, in flight or answered but unrecorded.
 * The first one lands a quarter to three quarters of an answer time into the
 * first wave of MAX_CONCURRENT submissions, which take at least two answer
 * times (the backends send 8 or 10 at once): the first calls are in flight
 * and nothing is recorded. The rest are the seeded delays of the Slurm test
 * (a third of them in startup recovery).
 */
function aimedAtSubmissions(url: string, queueId: string): KillPoint {
  return async (random, index) => {
    if (random() >= 0.4 && index > 0) return afterRandomDelay(random, index);
    const share = index === 0 ? 0.25 + random() / 2 : 2 * random();
    const intoMs = Math.round(share * SUBMIT_LATENCY_MS);
    const deadline = Date.now() + 8_000;
    let submitting = 0;
    while (submitting === 0 && Date.now() < deadline) {
      submitting = (await queueCounts(url, queueId))?.submitting ?? 0;
      if (submitting === 0) await new Promise((r) => setTimeout(r, 10));
    }
    if (submitting === 0) return 'no submission within 8 s';
    await new Promise((r) => setTimeout(r, intoMs));
    return `${submitting} submitting +${intoMs}ms`;
  };
}

/** How the restarted servers settled open submissions, from their log (for the report line only). */
const settled = (log: string): string => {
  const count = (re: RegExp): number => log.match(re)?.length ?? 0;
  return `found ${count(/by tag .*; not submitted again/g)} by tag, put ${count(/never reached the scheduler/g)} back to pending, deferred the lookup ${count(/looked up again in \d+ s/g)} times`;
};

const finished = (status: string | undefined): boolean =>
  status === 'completed' || status === 'failed' || status === 'cancelled';

let aws: AwsTestServer;

beforeAll(async () => {
  aws = await startAwsTestServer({ setup: SIGKILL_SETUP });
  aws.setDelay({ operation: 'batch:SubmitJob', delayMs: SUBMIT_LATENCY_MS });
  aws.setDelay({ operation: 'ecs:RunTask', delayMs: SUBMIT_LATENCY_MS });
});

afterAll(async () => {
  await aws?.close();
});

// The two kinds run side by side (own server process, own job queue or ECS cluster, one AWS test server).
describe('server killed with SIGKILL during a 60-task queue', () => {
  it.concurrent.for(KINDS)(
    'on $kind submits every task exactly once and records the final state and exit code AWS gives',
    { timeout: 120_000 },
    async (k, { expect, onTestFinished }) => {
      const name = `server-sigkill-aws[${k.kind}]`;
      // One seed per file; each kind draws from its own stream of it.
      const random = seededRandom(SEED + KINDS.indexOf(k));
      const tasks = tasksCommand(random);
      const written = writeServerConfig({
        cluster: k.cluster(aws.url),
        source: `crash-${k.kind}`,
        command: tasks.command,
        maxConcurrent: MAX_CONCURRENT,
      });
      const dir = written.dir;
      // Empty shared AWS files: the static keys below are the only credentials, on every machine.
      mkdirSync(join(dir, 'aws'));
      writeFileSync(join(dir, 'aws', 'config'), '');
      writeFileSync(join(dir, 'aws', 'credentials'), '');
      const proc = new ServerProcess({
        configPath: written.configPath,
        port: await freeLoopbackPort(),
        home: dir,
        logPath: join(dir, 'server.log'),
        env: {
          ...AWS_TEST_KEYS,
          AWS_CONFIG_FILE: join(dir, 'aws', 'config'),
          AWS_SHARED_CREDENTIALS_FILE: join(dir, 'aws', 'credentials'),
        },
      });
      onTestFinished(() => proc.dispose());
      console.log(
        `${name}: seed ${SEED} (rerun with SCRIPTHUT_FAULT_SEED=${SEED}); log ${join(dir, 'server.log')}`,
      );

      const started = Date.now();
      await proc.start();
      const id = await runSource(proc.url, `crash-${k.kind}`);
      const dbPath = join(dir, 'data', 'scripthut.db');
      const integrityAtKills: string[] = [];
      // While the server is down: the database as the crash left it, and the
      // submissions it left open (intent recorded, outcome not), by tag, with
      // the time of the first kill that left each open. The restart follows at
      // once: a call still in flight may reach AWS after it.
      const leftOpen = new Map<string, number>();
      const afterKill = (): Promise<string> => {
        const killedAt = Date.now();
        const db = inspectDatabase(dbPath, id);
        integrityAtKills.push(db.integrity);
        for (const tag of db.open) if (!leftOpen.has(tag)) leftOpen.set(tag, killedAt);
        return Promise.resolve(db.open.length === 0 ? '' : `${db.open.length} open`);
      };

      const kills = await killRepeatedly(proc, random, {
        maxKills: MAX_KILLS,
        status: () => queueStatus(proc.url, id),
        done: finished,
        killPoint: aimedAtSubmissions(proc.url, id),
        afterKill,
      });
      const final = await waitFor(
        'the queue to finish',
        async () => {
          const status = await queueStatus(proc.url, id);
          return finished(status) ? status : undefined;
        },
        60_000,
        250,
      );
      const truth = await k.records(aws.url, id);
      const onAws = new Set([...truth.byPosition.values()].flat().map((r) => r.tag));
      const created = [...leftOpen.keys()].filter((tag) => onAws.has(tag)).length;
      const audit = await auditAgainst(proc.url, id, truth.byPosition);
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const calls = aws
        .requestLog()
        .filter((r) => `${r.service}:${r.operation}` === k.submitOperation);
      // Calls carried out (answered 200) after the kill that left their submission open.
      const afterTheKill = calls.filter((c) => {
        const killedAt = leftOpen.get(tagOfSubmitInput(c.input) ?? '');
        return c.status === 200 && killedAt !== undefined && c.atMs > killedAt;
      }).length;
      const serverLog = readFileSync(join(dir, 'server.log'), 'utf8');
      console.log(
        `${name}: ${kills.length} kills at ${describeKills(kills)}; queue ${id} ${final} after ${seconds} s; tasks ${JSON.stringify(audit.counts)}; submissions left open by the kills: ${leftOpen.size}, ${created} of them with a job on AWS, ${afterTheKill} carried out only after the kill; the restarts ${settled(serverLog)}; ${k.submitOperation} calls ${calls.length} (${calls.filter((c) => c.status === 200).length} answered 200)`,
      );

      await proc.stop('SIGTERM');
      const { integrity, submissions } = inspectDatabase(dbPath, id);
      // `rejected` here: intents a crash left before the submit call, released after a restart.
      console.log(`${name}: submission records by state ${JSON.stringify(submissions)}`);

      expect(kills.length).toBeGreaterThanOrEqual(MIN_KILLS);
      expect(truth.untagged).toEqual([]);
      expect(audit.lost).toEqual([]);
      expect(audit.doubled).toEqual([]);
      expect(audit.stray).toEqual([]);
      expect(audit.mismatched).toEqual([]);
      expect(audit.counts).toEqual({ completed: TASKS - tasks.failing, failed: tasks.failing });
      expect(final).toBe('failed');
      expect(integrity).toBe('ok');
      expect(integrityAtKills).toEqual(kills.map(() => 'ok'));
      // The aimed first kill left submissions whose outcome was never recorded,
      // some of them carried out by AWS only after it (the crash that matters).
      expect(leftOpen.size).toBeGreaterThan(0);
      expect(afterTheKill).toBeGreaterThan(0);
      expect(aws.violations()).toEqual([]);
    },
  );
});
