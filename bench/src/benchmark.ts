/** One line of run-all's summary: a measured figure beside its same-run baseline and target. */
export interface SummaryRow {
  metric: string;
  measured: string;
  baseline: string;
  /** Ratio to the baseline and/or the target, e.g. `82 % (target ≥ 50 %: met)`. Information, never an assertion. */
  verdict: string;
}

/** A benchmark module exports one of these as `benchmark`. */
export interface Benchmark {
  name: string;
  /** One line saying what is measured. */
  title: string;
  /** Prints its own table and returns the rows for the summary. Cleans up after itself, also on failure. */
  run(): Promise<SummaryRow[]>;
}
