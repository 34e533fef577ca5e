// Sums the results of every test runner and prints the last line CI reads.
// Usage: node count-tests.mjs VITEST_JSON[,VITEST_JSON...] PLAYWRIGHT_JSON [FAILED_STEP...]
// Several vitest runs (the parallel run, then the serial fault phase) are
// given as one comma-separated argument and summed.
// A runner whose report is missing counts as one failed test: it did not run.
// Before the last line it lists the ten slowest tests of all runners.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { formatSlowest, playwrightTimings, slowestTests, vitestTimings } from './test-timings.mjs';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

const [vitestPaths, playwrightPath, ...failedSteps] = process.argv.slice(2);
let passed = 0;
let failed = 0;
const notes = [];
const timings = [];

for (const vitestPath of (vitestPaths ?? '').split(',')) {
  const label = `vitest (${vitestPath || 'no path'})`;
  if (vitestPath && existsSync(vitestPath)) {
    const r = JSON.parse(readFileSync(vitestPath, 'utf8'));
    timings.push(...vitestTimings(r, repoRoot));
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    if (r.numPendingTests || r.numTodoTests)
      notes.push(`${label}: ${r.numPendingTests + r.numTodoTests} skipped`);
    if (!r.success && r.numFailedTests === 0) {
      failed += 1;
      notes.push(`${label}: a test file failed to load`);
    }
  } else {
    failed += 1;
    notes.push(`${label} produced no report`);
  }
}

if (playwrightPath && existsSync(playwrightPath)) {
  const r = JSON.parse(readFileSync(playwrightPath, 'utf8'));
  timings.push(...playwrightTimings(r, repoRoot));
  const s = r.stats ?? {};
  passed += s.expected ?? 0;
  failed += (s.unexpected ?? 0) + (s.flaky ?? 0);
  if (s.skipped) notes.push(`playwright: ${s.skipped} skipped`);
  if (r.errors?.length) {
    failed += 1;
    notes.push(`playwright: ${r.errors.length} error(s) outside tests`);
  }
} else {
  failed += 1;
  notes.push('playwright produced no report');
}

for (const s of failedSteps) notes.push(`step failed: ${s}`);
for (const n of notes) console.log(n);
for (const line of formatSlowest(slowestTests(timings, 10))) console.log(line);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 || failedSteps.length > 0 ? 1 : 0);
