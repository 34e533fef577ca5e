// Reads per-test durations out of the runners' JSON reports, for the list of
// slowest tests that ./test-all prints before its last line.
import { isAbsolute, join, relative } from 'node:path';

/** @typedef {'unit' | 'integration' | 'faults' | 'e2e'} TestPhase */
/** @typedef {{ name: string; file: string; ms: number; phase: TestPhase }} TestTiming */

/**
 * The vitest project a file belongs to, from the suffixes vitest.config.ts selects on.
 * @param {string} file
 * @returns {TestPhase}
 */
function vitestPhase(file) {
  if (file.endsWith('.fault.test.ts')) return 'faults';
  if (file.endsWith('.int.test.ts')) return 'integration';
  return 'unit';
}

/**
 * @param {string} rootDir
 * @param {string} file
 */
const relativeTo = (rootDir, file) => (isAbsolute(file) ? relative(rootDir, file) : file);

/**
 * Tests that ran (passed or failed) in a vitest JSON report; skipped and todo
 * tests have no duration and are left out. Files are made relative to rootDir.
 * @param {any} report the parsed --reporter=json output
 * @param {string} rootDir
 * @returns {TestTiming[]}
 */
export function vitestTimings(report, rootDir) {
  /** @type {TestTiming[]} */
  const timings = [];
  for (const fileResult of report.testResults ?? []) {
    const file = relativeTo(rootDir, String(fileResult.name));
    for (const a of fileResult.assertionResults ?? []) {
      if (a.status !== 'passed' && a.status !== 'failed') continue;
      timings.push({
        name: String(a.fullName),
        file,
        ms: Number(a.duration ?? 0),
        phase: vitestPhase(file),
      });
    }
  }
  return timings;
}

/**
 * Tests in a Playwright JSON report, named by their describe titles and their
 * own title; a test's time is the sum of its attempts. Files are made
 * relative to rootDir through the report's testDir (config.rootDir).
 * @param {any} report the parsed json reporter output
 * @param {string} rootDir
 * @returns {TestTiming[]}
 */
export function playwrightTimings(report, rootDir) {
  const testDir = report.config?.rootDir;
  /** @type {TestTiming[]} */
  const timings = [];
  /**
   * @param {any} suite
   * @param {string[]} titles describe titles above this suite (the file suite has none)
   */
  const walk = (suite, titles) => {
    for (const spec of suite.specs ?? []) {
      const file = testDir ? relativeTo(rootDir, join(testDir, spec.file)) : String(spec.file);
      for (const t of spec.tests ?? []) {
        const results = (t.results ?? []).filter((/** @type {any} */ r) => r.status !== 'skipped');
        if (results.length === 0) continue;
        const ms = results.reduce(
          (/** @type {number} */ sum, /** @type {any} */ r) => sum + Number(r.duration ?? 0),
          0,
        );
        const project = t.projectName ? [`[${t.projectName}]`] : [];
        timings.push({
          name: [...project, ...titles, spec.title].join(' '),
          file,
          ms,
          phase: 'e2e',
        });
      }
    }
    for (const child of suite.suites ?? []) walk(child, [...titles, child.title]);
  };
  for (const fileSuite of report.suites ?? []) walk(fileSuite, []);
  return timings;
}

/**
 * The `count` slowest tests, slowest first; ties keep report order.
 * @param {TestTiming[]} timings
 * @param {number} count
 */
export const slowestTests = (timings, count = 10) =>
  [...timings].sort((a, b) => b.ms - a.ms).slice(0, count);

/**
 * Lines to print: a heading, then one line per test with seconds, phase, file and name.
 * @param {TestTiming[]} slowest
 * @returns {string[]}
 */
export function formatSlowest(slowest) {
  if (slowest.length === 0) return [];
  const phaseWidth = Math.max(...slowest.map((t) => t.phase.length));
  return [
    `${slowest.length} slowest tests:`,
    ...slowest.map(
      (t) =>
        `${(t.ms / 1000).toFixed(1).padStart(7)} s  ${t.phase.padEnd(phaseWidth)}  ${t.file} > ${t.name}`,
    ),
  ];
}
