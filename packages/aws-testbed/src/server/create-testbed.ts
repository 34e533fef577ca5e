import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchEngine } from '../batch/batch-engine';
import { batchOperations } from '../batch/batch-operations';
import { BatchResources } from '../batch/batch-resources';
import { MemoryWatcher } from '../compute/memory-watcher';
import { EcsResources } from '../ecs/ecs-resources';
import { ecsOperations } from '../ecs/ecs-operations';
import { TaskEngine } from '../ecs/task-engine';
import { JobFaults } from '../faults/job-faults';
import { OperationFaults } from '../faults/operation-faults';
import { RequestLog } from '../faults/request-log';
import { LogStore } from '../logs/log-store';
import { logsOperations } from '../logs/logs-operations';
import { TimerSet } from '../runtime/timer-set';
import { AccessPolicy } from './access-policy';
import type { AwsRequestDeps, RecordedViolation } from './handle-aws-request';
import type { AwsTestServerOptions } from './server-options';

const DWELL_MS = 50;

/** Every store, engine and fault table of one server; the HTTP layer only routes into it. */
export interface Testbed {
  deps: AwsRequestDeps;
  batch: { engine: BatchEngine; resources: BatchResources };
  ecs: { engine: TaskEngine; resources: EcsResources };
  logs: LogStore;
  jobFaults: JobFaults;
  retention: { finishedMs: number | null };
  workRoot: string;
  close(): void;
}

export function createTestbed(o: AwsTestServerOptions): Testbed {
  const region = o.region ?? 'us-east-1';
  const accountId = o.accountId ?? '123456789012';
  const principalArn = o.principalArn ?? `arn:aws:iam::${accountId}:user/test`;
  const timers = new TimerSet();
  const memory = new MemoryWatcher();
  const jobFaults = new JobFaults();
  const logs = new LogStore(region, accountId);
  const workRoot = mkdtempSync(join(tmpdir(), 'aws-testbed-'));
  const retention = { finishedMs: o.finishedRetentionMs ?? null };
  const timeScale = o.timeScale ?? 1;
  const shared = { logs, memory, timers, faults: jobFaults, workRoot, timeScale };
  const batchResources = new BatchResources({
    region,
    accountId,
    defaultMaxVcpus: o.defaultComputeEnvironmentVcpus ?? 256,
  });
  const batchEngine = new BatchEngine({
    ...shared,
    region,
    accountId,
    dwellMs: {
      SUBMITTED: DWELL_MS,
      PENDING: DWELL_MS,
      RUNNABLE: DWELL_MS,
      STARTING: DWELL_MS,
      ...o.batchDwellMs,
    },
    retentionMs: () => retention.finishedMs,
  });
  const ecsResources = new EcsResources({
    region,
    accountId,
    principalArn,
    defaultClusterVcpus: o.defaultClusterVcpus ?? 64,
  });
  const taskEngine = new TaskEngine({
    ...shared,
    dwellMs: {
      PROVISIONING: DWELL_MS,
      PENDING: DWELL_MS,
      ACTIVATING: DWELL_MS,
      DEACTIVATING: DWELL_MS,
      STOPPING: DWELL_MS,
      DEPROVISIONING: DWELL_MS,
      ...o.ecsDwellMs,
    },
    retentionMs: () => retention.finishedMs,
  });
  const violations: RecordedViolation[] = [];
  const deps: AwsRequestDeps = {
    operations: {
      batch: batchOperations(batchEngine, batchResources),
      ecs: ecsOperations(ecsResources, taskEngine),
      logs: logsOperations(logs),
    },
    policy: new AccessPolicy({
      region,
      accountId,
      principalArn,
      ...(o.refusedAccessKeys ? { refusedAccessKeys: o.refusedAccessKeys } : {}),
      ...(o.deniedActions ? { deniedActions: o.deniedActions } : {}),
    }),
    faults: new OperationFaults(o.rateLimitTps),
    log: new RequestLog(),
    validate: o.validate ?? true,
    violations,
  };
  return {
    deps,
    batch: { engine: batchEngine, resources: batchResources },
    ecs: { engine: taskEngine, resources: ecsResources },
    logs,
    jobFaults,
    retention,
    workRoot,
    close() {
      timers.close();
      batchEngine.close();
      taskEngine.close();
      memory.close();
    },
  };
}
