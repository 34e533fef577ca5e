import type { Benchmark, SummaryRow } from './benchmark';
import {
  diffCounts,
  installCommandCounter,
  schedulerTotal,
  type CommandCounter,
} from './command-counter';
import { metText, note, printComparison } from './report';
import { pollWatcher, startServer, type RunningServer } from './server';
import { subscribeEvents, type SseSubscription } from './sse-client';
import { readTestbed } from './testbed';

const SUBSCRIBER_COUNTS = [1, 10, 100] as const;
const POLLS_PER_LEVEL = 3;
const POLL_INTERVAL_S = 5;
/** Polls to wait, at most, for one that needs nothing but squeue (the first one settles every job the testbed lists). */
const MAX_WARMUP_POLLS = 12;
const ENDING: ReadonlySet<string> = new Set(['finishing', 'completed', 'failed', 'unknown']);

interface Level {
  subscribers: number;
  /** Scheduler commands of each measured poll. */
  perPoll: number[];
  /** Jobs that ended (became finishing or final) in each measured poll: what makes a poll need sacct. */
  endedPerPoll: number[];
  squeue: number;
  sacct: number;
  other: number;
  /** Fewest data messages any subscriber received during the measured polls (proves each was live). */
  minMessages: number;
}

async function measureLevel(
  server: RunningServer,
  cluster: string,
  counter: CommandCounter,
  subscribers: number,
): Promise<Level> {
  const subs: SseSubscription[] = [];
  const polls = pollWatcher(server.core, cluster);
  let ended = 0;
  const off = server.core.events.subscribe(({ event }) => {
    if (event.type === 'jobs') ended += event.upserted.filter((j) => ENDING.has(j.state)).length;
  });
  try {
    for (let i = 0; i < subscribers; i++) subs.push(subscribeEvents(server.url));
    await Promise.all(subs.map((s) => s.ready));
    // Start counting at a poll boundary, so every window holds exactly one poll.
    await polls.next();
    const messagesAtStart = subs.map((s) => s.messages);
    const perPoll: number[] = [];
    const endedPerPoll: number[] = [];
    const start = counter.snapshot();
    let before = start;
    for (let p = 0; p < POLLS_PER_LEVEL; p++) {
      ended = 0;
      await polls.next();
      const now = counter.snapshot();
      perPoll.push(schedulerTotal(diffCounts(now, before)));
      endedPerPoll.push(ended);
      before = now;
    }
    const total = diffCounts(before, start);
    // The poll's events are delivered right after it completes; give them a moment to arrive.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const minMessages = Math.min(...subs.map((s, i) => s.messages - (messagesAtStart[i] ?? 0)));
    return {
      subscribers,
      perPoll,
      endedPerPoll,
      squeue: total.squeue,
      sacct: total.sacct,
      other: total.other,
      minMessages,
    };
  } finally {
    off();
    polls.stop();
    for (const s of subs) s.close();
  }
}

/** Lets the first polls settle every job the testbed lists, until a poll runs squeue alone. */
export async function warmUp(
  server: RunningServer,
  cluster: string,
  counter: CommandCounter,
): Promise<void> {
  const polls = pollWatcher(server.core, cluster);
  try {
    let before = counter.snapshot();
    for (let i = 0; i < MAX_WARMUP_POLLS; i++) {
      await polls.next();
      const now = counter.snapshot();
      const commands = schedulerTotal(diffCounts(now, before));
      before = now;
      if (i > 0 && commands === 1) return;
    }
    note(
      `the testbed never went quiet in ${MAX_WARMUP_POLLS} warm-up polls (jobs keep ending); measuring anyway`,
    );
  } finally {
    polls.stop();
  }
}

async function run(): Promise<SummaryRow[]> {
  const testbed = readTestbed();
  const counter = installCommandCounter();
  let server: RunningServer | null = null;
  try {
    server = await startServer({ testbed, pollIntervalS: POLL_INTERVAL_S, webDist: null });
    await warmUp(server, testbed.cluster, counter);
    note(
      `server on ${server.url}, poll_interval ${POLL_INTERVAL_S} s; counting commands of every SshConnection (runner level)`,
    );
    note(
      `for each level: open N SSE subscriptions to events.stream, wait for each one's first message, then count ${POLLS_PER_LEVEL} polls.`,
    );
    const levels: Level[] = [];
    for (const n of SUBSCRIBER_COUNTS)
      levels.push(await measureLevel(server, testbed.cluster, counter, n));

    const perPoll = (l: Level): number => l.perPoll.reduce((a, b) => a + b, 0) / l.perPoll.length;
    const base = levels[0]!;
    const allEqual = levels.every((l) => perPoll(l) === perPoll(base));
    const rows = levels.map((l): [string, string, string, string] => [
      `${l.subscribers} subscriber${l.subscribers === 1 ? '' : 's'}`,
      `${perPoll(l).toFixed(2)} commands/poll (polls: ${l.perPoll.join(', ')}; squeue ${l.squeue}, sacct ${l.sacct}, other ${l.other}; jobs ended: ${l.endedPerPoll.join(', ')})`,
      `${perPoll(base).toFixed(2)} commands/poll with 1 subscriber`,
      `${perPoll(l) === perPoll(base) ? 'equal' : 'DIFFERENT'}; each subscriber got ≥ ${l.minMessages} messages`,
    ]);
    printComparison(rows);
    note(`target: the same count at every level: ${metText(allEqual)}`);
    if (!allEqual) {
      note(
        'a poll needs one sacct when jobs ended since the last one ("jobs ended" above); on the shared testbed others end jobs too.',
      );
      note('compare the squeue counts: one per poll whatever the number of subscribers.');
    }
    return levels.map((l, i) => {
      const row = rows[i]!;
      return {
        metric: row[0],
        measured: `${perPoll(l).toFixed(2)} commands/poll`,
        baseline: row[2],
        verdict: `${row[3].split(';')[0] ?? ''}; target equal: ${metText(allEqual)}`,
      };
    });
  } catch (e) {
    if (server) for (const line of server.logs.slice(-20)) console.log(`   server log: ${line}`);
    throw e;
  } finally {
    counter.uninstall();
    await server?.close();
  }
}

export const benchmark: Benchmark = {
  name: 'subscribers',
  title: 'Slurm commands per poll of the real server with 1, 10 and 100 SSE subscribers',
  run,
};
