import type { RegisterJobDefinitionRequest } from '@aws-sdk/client-batch';
import type { RegisterTaskDefinitionRequest } from '@aws-sdk/client-ecs';
import { CAPACITY_REASON } from '../batch/batch-engine';
import type { ServiceId } from '../model/botocore-models';
import { checkOperation } from '../model/model-check';
import type { Testbed } from '../server/create-testbed';
import type { TestbedControl, TestbedSetup } from './testbed-control';

export function createControl(t: Testbed): TestbedControl {
  const { faults, log, policy, violations } = t.deps;
  const checked = (service: ServiceId, operation: string, input: unknown): void => {
    if (!t.deps.validate) return;
    const found = checkOperation(service, operation, 'input', input);
    if (found.length > 0) {
      throw new Error(`setup: ${operation} input breaks the model: ${JSON.stringify(found)}`);
    }
  };
  return {
    setup(s: TestbedSetup) {
      const batch = t.batch.resources;
      for (const ce of s.computeEnvironments ?? []) {
        batch.createComputeEnvironment({
          computeEnvironmentName: ce.name,
          type: 'UNMANAGED',
          ...(ce.maxVcpus !== undefined ? { unmanagedvCpus: ce.maxVcpus } : {}),
        });
      }
      for (const q of s.jobQueues ?? []) {
        batch.createJobQueue({
          jobQueueName: q.name,
          priority: q.priority ?? 1,
          computeEnvironmentOrder: q.computeEnvironments.map((ce, order) => ({
            order,
            computeEnvironment: ce,
          })),
        });
      }
      for (const d of s.jobDefinitions ?? []) {
        checked('batch', 'RegisterJobDefinition', d);
        batch.registerJobDefinition(d satisfies RegisterJobDefinitionRequest);
      }
      for (const c of s.clusters ?? []) t.ecs.resources.createCluster(c.name, c.vcpus);
      for (const d of s.taskDefinitions ?? []) {
        checked('ecs', 'RegisterTaskDefinition', d);
        t.ecs.resources.register(d satisfies RegisterTaskDefinitionRequest);
      }
      for (const g of s.logGroups ?? []) t.logs.ensureGroup(g);
    },
    throttleNext: ({ operation, count }) => faults.throttleNext(operation, count),
    setRateLimit: ({ tps }) => faults.setRateLimit(tps),
    failNext: (o) => faults.failNext(o),
    setDelay: ({ operation, delayMs }) => faults.setDelay(operation, delayMs),
    injectJobFault(fault) {
      if (t.batch.engine.applyFaultNow(fault) || t.ecs.engine.applyFaultNow(fault)) {
        return { applied: 'now' };
      }
      t.jobFaults.add(fault);
      return { applied: 'pending' };
    },
    setCapacityWait({ enabled, reason }) {
      t.batch.engine.setCapacityWait(enabled ? (reason ?? CAPACITY_REASON) : null);
      t.ecs.engine.setCapacityWait(enabled);
    },
    forget({ ids }) {
      t.batch.engine.forget(ids);
      t.ecs.engine.forget(ids);
    },
    setRetention({ finishedMs }) {
      t.retention.finishedMs = finishedMs;
    },
    denyActions: ({ actions }) => policy.denyActions(actions),
    refuseAccessKeys: ({ keys }) => policy.refuseAccessKeys(keys),
    requestLog: () => log.list(),
    requestCounts: () => log.counts(),
    resetRequestLog: () => log.reset(),
    violations: () => [...violations],
    resetViolations: () => void violations.splice(0),
    clearFaults() {
      faults.clear();
      t.jobFaults.clear();
      t.batch.engine.setCapacityWait(null);
      t.ecs.engine.setCapacityWait(false);
    },
  };
}
