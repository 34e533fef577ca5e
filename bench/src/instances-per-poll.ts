import { testDatabase } from '../../packages/core/src/leadership/testing';
import type { Benchmark, SummaryRow } from './benchmark';
import {
  diffCounts,
  installCommandCounter,
  schedulerTotal,
  type CommandCounter,
} from './command-counter';
import { warmUp } from './commands-per-poll';
import { metText, note, printComparison } from './report';
import { pollWatcher, startServer, type RunningServer } from './server';
import { readTestbed, type Testbed } from './testbed';

const INSTANCE_COUNTS = [1, 2, 3] as const;
const POLLS_PER_LEVEL = 3;
const POLL_INTERVAL_S = 5;

interface Level {
  instances: number;
  leader: string;
  perPoll: number[];
  squeue: number;
  sacct: number;
  other: number;
}

/** The instance that leads `cluster`, once one has claimed it. */
async function leaderOf(servers: readonly RunningServer[], cluster: string): Promise<number> {
  const deadline = Date.now() + 4 * POLL_INTERVAL_S * 1000;
  for (;;) {
    for (const [i, s] of servers.entries())
      if ((await s.core.health()).instance?.leads.includes(cluster)) return i;
    if (Date.now() > deadline) throw new Error(`no instance leads ${cluster}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** N servers on one fresh PostgreSQL database: scheduler commands (all instances together) per poll of the leader. */
async function measureLevel(testbed: Testbed, counter: CommandCounter, n: number): Promise<Level> {
  const database = await testDatabase();
  const c = database.config;
  const servers: RunningServer[] = [];
  try {
    for (let i = 0; i < n; i++)
      servers.push(
        await startServer({
          testbed,
          pollIntervalS: POLL_INTERVAL_S,
          webDist: null,
          database: {
            url: `postgres://${c.user}@${c.host}:${c.port}/${database.name}`,
            password: String(c.password ?? ''),
          },
          instanceName: `i${i + 1}`,
        }),
      );
    const leader = servers[await leaderOf(servers, testbed.cluster)]!;
    await warmUp(leader, testbed.cluster, counter);
    const polls = pollWatcher(leader.core, testbed.cluster);
    try {
      await polls.next();
      const start = counter.snapshot();
      let before = start;
      const perPoll: number[] = [];
      for (let p = 0; p < POLLS_PER_LEVEL; p++) {
        await polls.next();
        const now = counter.snapshot();
        perPoll.push(schedulerTotal(diffCounts(now, before)));
        before = now;
      }
      const total = diffCounts(before, start);
      const name = (await leader.core.health()).instance?.name ?? '?';
      return {
        instances: n,
        leader: name,
        perPoll,
        squeue: total.squeue,
        sacct: total.sacct,
        other: total.other,
      };
    } finally {
      polls.stop();
    }
  } finally {
    for (const s of servers) await s.close();
    await database.drop();
  }
}

async function run(): Promise<SummaryRow[]> {
  const testbed = readTestbed();
  const counter = installCommandCounter();
  try {
    note(
      `N servers in this process on one fresh PostgreSQL database each level, poll_interval ${POLL_INTERVAL_S} s; commands of every SshConnection of every instance are counted (runner level) over ${POLLS_PER_LEVEL} polls of the leader`,
    );
    const levels: Level[] = [];
    for (const n of INSTANCE_COUNTS) levels.push(await measureLevel(testbed, counter, n));
    const perPoll = (l: Level): number => l.perPoll.reduce((a, b) => a + b, 0) / l.perPoll.length;
    const base = levels[0]!;
    const squeueEqual = levels.every((l) => l.squeue === base.squeue);
    const rows = levels.map((l): [string, string, string, string] => [
      `${l.instances} instance${l.instances === 1 ? '' : 's'}`,
      `${perPoll(l).toFixed(2)} commands/poll (polls: ${l.perPoll.join(', ')}; squeue ${l.squeue}, sacct ${l.sacct}, other ${l.other}; leader ${l.leader})`,
      `${perPoll(base).toFixed(2)} commands/poll with 1 instance`,
      l.squeue === base.squeue ? 'squeue equal' : 'squeue DIFFERENT',
    ]);
    printComparison(rows);
    note(
      `target: one squeue per poll interval whatever the number of instances: ${metText(squeueEqual)}`,
    );
    note(
      'sacct runs in a poll only when jobs ended since the last one; on the shared testbed others end jobs too.',
    );
    return levels.map((l, i) => ({
      metric: rows[i]![0],
      measured: `${perPoll(l).toFixed(2)} commands/poll, squeue ${l.squeue}/${POLLS_PER_LEVEL} polls`,
      baseline: rows[i]![2],
      verdict: `${rows[i]![3]}; target: ${metText(squeueEqual)}`,
    }));
  } finally {
    counter.uninstall();
  }
}

export const benchmark: Benchmark = {
  name: 'instances',
  title: 'Slurm commands per poll with 1, 2 and 3 server instances on one PostgreSQL database',
  run,
};
