import type { SubmitSpec } from '../backends/backend';
import type { Job } from '../domain/job';
import { queueJobId } from './task-record';

/**
 * The job row of a submitted task (state `submitted`), or of a task the
 * scheduler refused (`failed`, with its message, no scheduler id).
 */
export function queueJobRow(o: {
  queueId: string;
  taskId: string;
  cluster: string;
  user: string | null;
  spec: SubmitSpec;
  schedulerJobId: string | null;
  now: Date;
  rejection?: string;
  warnings?: string | null;
}): Job {
  const now = o.now.toISOString();
  const rejected = o.rejection !== undefined;
  return {
    id: queueJobId(o.queueId, o.taskId),
    cluster: o.cluster,
    schedulerJobId: o.schedulerJobId,
    name: o.spec.name,
    user: o.user ?? '',
    state: rejected ? 'failed' : 'submitted',
    schedulerState: rejected ? 'REJECTED' : null,
    outcome: rejected ? 'FAILED' : null,
    exitCode: null,
    signal: null,
    reason: rejected ? o.rejection! : null,
    cancelledBy: null,
    source: 'queue',
    partition: o.spec.partition,
    cpus: o.spec.cpus,
    memory: o.spec.memory,
    nodes: null,
    timeUsed: null,
    timeLimit: o.spec.timeLimit,
    workDir: o.spec.workingDir,
    command: o.spec.command,
    stdoutPath: o.spec.stdoutPath,
    stderrPath: o.spec.stderrPath,
    submitTime: now,
    startTime: null,
    finishTime: rejected ? now : null,
    queueId: o.queueId,
    taskId: o.taskId,
    error: rejected ? `Submission rejected: ${o.rejection!}` : (o.warnings ?? null),
    arrayId: null,
    arrayTasks: null,
    arrayCounts: null,
    efficiency: null,
    lastSeen: null,
    stale: false,
    updatedAt: now,
  };
}
