/** Test helpers for other packages' tests (never imported by production code). */
export { jsonSource, queueTestbed, tickUntil, localJobSpecs, removeDir, type Testbed, type TestbedOptions } from './queue/testing';
export { readTestbed, testbedTarget, PrivateSshd, freeLoopbackPort } from './ssh/testing';
export { createSshConnection, type SshConnection } from './ssh';
export { slurmJobsOfQueue, taskStateOfSlurm, cancelQueueJobs, type TaggedSlurmJob } from './backends/slurm/testing';
export { inspectDatabase, mountTmpfs, remount, unmount } from './history/testing';
export { testPostgresDatabase } from './history/test-postgres-database';
export { testDatabase, testPostgres } from './leadership/testing';
export { TcpCutter } from './runtime/tcp-cutter';
