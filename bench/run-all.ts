import { cpus, loadavg } from 'node:os';
import type { Benchmark, SummaryRow } from './src/benchmark';
import { printTable } from './src/report';

/**
 * Every benchmark, in the order `pnpm bench` runs them. To add one, write a
 * module that exports `benchmark: Benchmark` and add a line here. Modules
 * load lazily, so a subset run never loads the others (or Chromium).
 */
const BENCHMARKS: readonly { name: string; load: () => Promise<{ benchmark: Benchmark }> }[] = [
  { name: 'parse', load: () => import('./src/parse-speed') },
  { name: 'poll', load: () => import('./src/poll-cost') },
  { name: 'subscribers', load: () => import('./src/commands-per-poll') },
  { name: 'instances', load: () => import('./src/instances-per-poll') },
  { name: 'latency', load: () => import('./src/change-latency') },
  { name: 'submit', load: () => import('./src/submit-throughput') },
  { name: 'load', load: () => import('./src/subscribers-load') },
  { name: 'page', load: () => import('./src/page-speed') },
  { name: 'history', load: () => import('./src/history-scale') },
  { name: 'plans', load: () => import('./src/list-plans') },
  { name: 'fanout', load: () => import('./src/event-fanout') },
  { name: 'filters', load: () => import('./src/filter-speed') },
  { name: 'aws', load: () => import('./src/aws-batch') },
  { name: 'git', load: () => import('./git-clone') },
];

const USAGE = `usage: pnpm bench [name…]   (names: ${BENCHMARKS.map((b) => b.name).join(', ')}; none = all)`;

interface Outcome {
  name: string;
  title: string;
  rows: SummaryRow[];
  error: string | null;
  seconds: number;
}

async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) {
    console.log(USAGE);
    return 0;
  }
  const unknown = argv.filter((a) => !BENCHMARKS.some((b) => b.name === a));
  if (unknown.length > 0) {
    console.error(`unknown benchmark(s): ${unknown.join(', ')}\n${USAGE}`);
    return 2;
  }
  const selected = argv.length === 0 ? BENCHMARKS : BENCHMARKS.filter((b) => argv.includes(b.name));
  console.log(`ScriptHut benchmarks — ${new Date().toISOString()}, Node ${process.version}`);
  console.log(
    'Figures are measured in this run beside a baseline measured in the same run; targets are information, not assertions.',
  );

  const outcomes: Outcome[] = [];
  for (const entry of selected) {
    const started = performance.now();
    let title = entry.name;
    try {
      const { benchmark } = await entry.load();
      title = benchmark.title;
      console.log(`\n== ${benchmark.name}: ${benchmark.title} ==`);
      console.log(`   machine load before: ${loadText()}`);
      const rows = await benchmark.run();
      outcomes.push({
        name: entry.name,
        title,
        rows,
        error: null,
        seconds: (performance.now() - started) / 1000,
      });
    } catch (e) {
      const error = e instanceof Error ? (e.stack ?? e.message) : String(e);
      console.log(`   FAILED: ${error}`);
      outcomes.push({
        name: entry.name,
        title,
        rows: [],
        error: firstLine(error),
        seconds: (performance.now() - started) / 1000,
      });
    }
  }

  console.log('\n== Summary ==');
  const rows = outcomes.flatMap((o) =>
    o.error !== null
      ? [[o.name, 'did not complete', o.error, '', '']]
      : o.rows.map((r, i) => [
          i === 0 ? `${o.name} (${o.seconds.toFixed(0)} s)` : '',
          r.metric,
          r.measured,
          r.baseline,
          r.verdict,
        ]),
  );
  printTable(['benchmark', 'figure', 'measured', 'baseline (same run)', 'ratio / target'], rows);
  // A benchmark that crashed is an error; a target not met is information.
  return outcomes.some((o) => o.error !== null) ? 1 : 0;
}

/** Other developers share this machine and the testbed: their load is printed beside every benchmark. */
const loadText = (): string =>
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ')} (1 / 5 / 15 min) on ${cpus().length} CPUs`;

/** The error's first line, clipped: the full text was printed where it happened. */
const firstLine = (text: string): string => {
  const line = text.split('\n')[0] ?? text;
  return line.length > 120 ? `${line.slice(0, 120)}…` : line;
};

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
