/** Test helpers for other packages' tests (never imported by production code). */
export { jsonSource, queueTestbed, tickUntil, localJobSpecs, removeDir, type Testbed, type TestbedOptions } from './queue/testing';
