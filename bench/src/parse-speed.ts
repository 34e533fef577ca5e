import {
  SACCT_FIELDS,
  newRecordSeparator,
  parseSacct,
  parseSqueue,
  resolveFinalReports,
  sacctCommand,
  squeueCommand,
} from '../../packages/core/src/backends/slurm';
import { captureNames, loadCapture } from '../../packages/core/src/backends/slurm/load-capture';
import type { Benchmark, SummaryRow } from './benchmark';
import { median, sleep } from './measure';
import { fmtInt, fmtMs, fmtPct, metText, note, printComparison } from './report';
import {
  renderCapture,
  replicateSacct,
  replicateSqueue,
  splitCapture,
  type Capture,
} from './synthetic-capture';
import {
  cancelByName,
  connect,
  ensureRoom,
  quietly,
  readTestbed,
  sh,
  submitHeld,
  uniqueJobName,
} from './testbed';

/** Held jobs captured live: a few hundred real records, cheap for the shared controller. */
const HELD_JOBS = 300;
const TARGET_JOBS = 10_000;
const WARMUP_ROUNDS = 5;
const ROUNDS = 25;
const TARGET_RATIO = 0.5;

interface LiveCaptures {
  squeue: string;
  sacct: string;
}

/** squeue of HELD_JOBS held jobs, then sacct of the same jobs once cancelled, with the project's own command lines. */
async function captureFromTestbed(): Promise<LiveCaptures> {
  const testbed = readTestbed();
  const runner = connect(testbed);
  const name = uniqueJobName('parse');
  try {
    await ensureRoom(runner, HELD_JOBS);
    const ids = await submitHeld(runner, name, HELD_JOBS);
    const squeue = (
      await sh(runner, squeueCommand(newRecordSeparator(), { includeFinished: true }))
    ).stdout;
    await cancelByName(runner, 'hutuser', name);
    // Accounting lags slurmctld by ~0.2 s: wait until every job reads CANCELLED.
    for (let attempt = 0; ; attempt++) {
      const sacct = (await sh(runner, sacctCommand(ids, newRecordSeparator()))).stdout;
      const cancelled = splitCapture(sacct).records.filter((r) =>
        (r[2] ?? '').startsWith('CANCELLED'),
      ).length;
      if (cancelled >= ids.length || attempt >= 20) return { squeue, sacct };
      await sleep(500);
    }
  } finally {
    await quietly('cancel held jobs', () => cancelByName(runner, 'hutuser', name));
    await runner.close();
  }
}

/** The captures kept in core's __fixtures__ (real testbed output: steps, OOM, timeouts, arrays…). */
function fixtureSacctRecords(): string[][] {
  return captureNames()
    .filter((n) => n.startsWith('sacct-'))
    .flatMap((n) => splitCapture(loadCapture(n).stdout).records)
    .filter((r) => r.length === SACCT_FIELDS.length);
}

/** The baseline: split into records at `<sep>\n`, each record into fields at `<sep>`, nothing else. */
function bareSplit(stdout: string): number {
  const newline = stdout.indexOf('\n');
  const separator = stdout.slice(0, newline);
  const chunks = stdout.slice(newline + 1).split(`${separator}\n`);
  let fields = 0;
  for (const chunk of chunks) fields += chunk.split(separator).length;
  return fields;
}

interface Race {
  parseMs: number;
  bareMs: number;
}

/** Median time of each function over alternating rounds, after a warm-up (JIT). */
function race(parse: () => number, bare: () => number): Race {
  let sink = 0;
  const parseTimes: number[] = [];
  const bareTimes: number[] = [];
  for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
    let t = performance.now();
    sink += bare();
    const bareMs = performance.now() - t;
    t = performance.now();
    sink += parse();
    const parseMs = performance.now() - t;
    if (round >= WARMUP_ROUNDS) {
      bareTimes.push(bareMs);
      parseTimes.push(parseMs);
    }
  }
  if (sink < 0) console.log(sink);
  return { parseMs: median(parseTimes), bareMs: median(bareTimes) };
}

function compare(
  label: string,
  lines: number,
  r: Race,
): { row: [string, string, string, string]; summary: SummaryRow } {
  const parseRate = lines / (r.parseMs / 1000);
  const bareRate = lines / (r.bareMs / 1000);
  const ratio = parseRate / bareRate;
  const measured = `${fmtInt(parseRate)} lines/s (${fmtMs(r.parseMs)})`;
  const baseline = `${fmtInt(bareRate)} lines/s (${fmtMs(r.bareMs)}) bare split`;
  const verdict = `${fmtPct(ratio)} of bare; target ≥ ${fmtPct(TARGET_RATIO)}: ${metText(ratio >= TARGET_RATIO)}`;
  return {
    row: [label, measured, baseline, verdict],
    summary: { metric: label, measured, baseline, verdict },
  };
}

async function run(): Promise<SummaryRow[]> {
  const live = await captureFromTestbed();
  const squeue: Capture = splitCapture(live.squeue);
  const sacctLive = splitCapture(live.sacct);
  const fixtures = fixtureSacctRecords();

  const squeueRecords = replicateSqueue(squeue.records, TARGET_JOBS);
  const squeueText = renderCapture(newRecordSeparator(), squeueRecords);
  const sacctRecords = replicateSacct([...sacctLive.records, ...fixtures], TARGET_JOBS);
  const sacctText = renderCapture(newRecordSeparator(), sacctRecords);

  note(
    `squeue input: ${fmtInt(squeueRecords.length)} records, ${fmtInt(squeueText.length / 1024)} KiB, built from one real`,
  );
  note(
    `  squeueCommand capture of ${squeue.records.length} records (${HELD_JOBS} of our held jobs + what else the testbed held),`,
  );
  note(
    `  replicated with renumbered job ids (synthetic 10,000-job input: MaxJobCount forbids 10,000 real jobs here).`,
  );
  note(
    `sacct input: ${fmtInt(TARGET_JOBS)} jobs = ${fmtInt(sacctRecords.length)} lines, ${fmtInt(sacctText.length / 1024)} KiB, from a real sacctCommand`,
  );
  note(
    `  capture of the ${HELD_JOBS} jobs after scancel (${sacctLive.records.length} lines) + ${fixtures.length} lines of core's __fixtures__`,
  );
  note(
    `  sacct captures (completed, failed, OOM, timeout, arrays, steps), replicated with renumbered ids.`,
  );

  const jobs = parseSqueue(squeueText).length;
  const reports = resolveFinalReports(parseSacct(sacctText)).size;
  note(
    `sanity: parseSqueue -> ${fmtInt(jobs)} jobs; parseSacct + resolveFinalReports -> ${fmtInt(reports)} final reports`,
  );
  note(
    `timing: median of ${ROUNDS} alternating rounds after ${WARMUP_ROUNDS} warm-up rounds; a line = one record.`,
  );

  const sq = compare(
    'squeue: parseSqueue',
    squeueRecords.length,
    race(
      () => parseSqueue(squeueText).length,
      () => bareSplit(squeueText),
    ),
  );
  const sa = compare(
    'sacct: parseSacct + resolveFinalReports',
    sacctRecords.length,
    race(
      () => resolveFinalReports(parseSacct(sacctText)).size,
      () => bareSplit(sacctText),
    ),
  );
  printComparison([sq.row, sa.row]);
  return [sq.summary, sa.summary];
}

export const benchmark: Benchmark = {
  name: 'parse',
  title: 'Parse speed of squeue/sacct output (10,000 jobs) beside a bare split loop',
  run,
};
