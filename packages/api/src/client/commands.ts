import type { ClientCommand, ClientInvocation } from './client-args';
import type { HutClient } from './connect';
import { ClientFailure, EXIT, type ExitCode } from './exit-codes';
import { followLog } from './follow-log';
import { dryRunView, jobsView, queuesView, queueStartedView, type Layout } from './views';

/** Where a command writes, and how it learns of Ctrl-C; the real process in cli, a buffer in tests. */
export interface ClientIo {
  out: (text: string) => void;
  err: (text: string) => void;
  layout: Layout;
  /** Calls `handler` on SIGINT until the returned function is called. */
  onInterrupt: (handler: () => void) => () => void;
}

type RemoteCommand = Exclude<ClientCommand, { kind: 'help' } | { kind: 'token' }>;

/** Runs one command against the server; throws for failures (see describeFailure). */
export async function runRemote(command: RemoteCommand, inv: ClientInvocation, hut: HutClient, io: ClientIo): Promise<ExitCode> {
  const print = (value: unknown, text: () => string): ExitCode => {
    io.out(inv.json ? `${JSON.stringify(value, null, 2)}\n` : text());
    return EXIT.ok;
  };
  switch (command.kind) {
    case 'jobs': {
      const { kind: _, ...filters } = command;
      const page = await hut.jobs.list.query(filters);
      return print(page, () => jobsView(page, io.layout));
    }
    case 'queues': {
      const queues = await hut.queues.list.query();
      return print(queues, () => queuesView(queues, io.layout));
    }
    case 'run': {
      if (command.dryRun) {
        const plan = await hut.taskSources.dryRun.query({ name: command.source });
        return print(plan, () => dryRunView(plan, io.layout));
      }
      const queue = await hut.taskSources.run.mutate({ name: command.source });
      return print(queue, () => queueStartedView(queue));
    }
    case 'retry': {
      const queue = await hut.queues.retry.mutate({ id: command.queue, states: command.states });
      return print(queue, () => `Attempt ${queue.attempt} of ${command.queue}: ${queueStartedView(queue)}`);
    }
    case 'cancel':
      return 'job' in command.target ? cancelJob(command.target.job, inv, hut, io) : cancelQueue(command.target.queue, inv, hut, io);
    case 'logs': {
      if (command.follow) return followLog(command, hut, io);
      const log = await hut.jobs.log.query({ id: command.id, kind: command.log, tail: command.lines });
      if (inv.json) return print(log, () => '');
      if (log.unavailable !== null) throw new ClientFailure(`no ${command.log} log for ${command.id}: ${log.unavailable}`);
      if (!log.exists) io.err(`${log.path ?? 'the log'} does not exist yet (the job may not have started)\n`);
      io.out(log.content.endsWith('\n') || log.content === '' ? log.content : `${log.content}\n`);
      return EXIT.ok;
    }
  }
}

async function cancelJob(id: string, inv: ClientInvocation, hut: HutClient, io: ClientIo): Promise<ExitCode> {
  const outcome = await hut.jobs.cancel.mutate({ id });
  if (inv.json) io.out(`${JSON.stringify(outcome, null, 2)}\n`);
  if (!outcome.ok) throw new ClientFailure(`the scheduler refused to cancel ${id}: ${outcome.message ?? 'no reason given'}`);
  if (!inv.json) io.out(`Cancel requested for ${id} (scheduler id ${outcome.schedulerJobId}); its final state arrives with the next poll.\n`);
  return EXIT.ok;
}

async function cancelQueue(id: string, inv: ClientInvocation, hut: HutClient, io: ClientIo): Promise<ExitCode> {
  const result = await hut.queues.cancel.mutate({ id });
  const failed = result.tasks.filter((t) => t.result === 'failed');
  if (inv.json) io.out(`${JSON.stringify(result, null, 2)}\n`);
  else {
    const by = (r: string): number => result.tasks.filter((t) => t.result === r).length;
    io.out(`Cancelled queue ${id}: ${by('cancelled')} not yet submitted, ${by('cancel_requested')} cancel requested, ${by('already_finished')} already finished, ${failed.length} refused.\n`);
  }
  if (failed.length > 0) {
    throw new ClientFailure(`the scheduler refused to cancel ${failed.map((t) => `${t.taskId} (${t.message ?? 'no reason given'})`).join(', ')}`);
  }
  return EXIT.ok;
}
