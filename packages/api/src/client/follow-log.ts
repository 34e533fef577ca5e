import { isTerminal, type Job } from '@scripthut/core';
import type { ClientCommand } from './client-args';
import type { ClientIo } from './commands';
import type { HutClient } from './connect';
import { ClientFailure, EXIT, type ExitCode } from './exit-codes';
import { jobState } from './views';

const FINAL_STATE_POLL_MS = 1_000;

/**
 * `logs -f`: the last lines, then what the job appends (SSE, resuming from
 * the tail's cursor so no line is shown twice) until the job has ended;
 * then the job's final state decides the exit code: 0 completed, 1 failed
 * or lost. Ctrl-C stops and exits 130.
 */
export async function followLog(c: Extract<ClientCommand, { kind: 'logs' }>, hut: HutClient, io: ClientIo): Promise<ExitCode> {
  await hut.jobs.get.query({ id: c.id });
  const tail = await hut.jobs.log.query({ id: c.id, kind: c.log, tail: c.lines });
  if (tail.unavailable !== null) throw new ClientFailure(`no ${c.log} log for ${c.id}: ${tail.unavailable}`);
  io.out(tail.content);

  let interrupted = false;
  let stopStream = (): void => {};
  let wakeFinalWait = (): void => {};
  const stopInterrupt = io.onInterrupt(() => {
    interrupted = true;
    stopStream();
    wakeFinalWait();
  });
  try {
    const ended = await new Promise<string>((resolve, reject) => {
      let lastWaiting = '';
      let reconnecting = false;
      const sub = hut.jobs.logFollow.subscribe(
        { id: c.id, kind: c.log, lastEventId: tail.cursor },
        {
          onData: ({ data: chunk }) => {
            if (chunk.kind === 'data') io.out(chunk.text);
            else if (chunk.kind === 'waiting' && chunk.reason !== lastWaiting) {
              lastWaiting = chunk.reason;
              io.err(`(waiting: ${chunk.reason})\n`);
            } else if (chunk.kind === 'end') {
              sub.unsubscribe();
              resolve(chunk.reason);
            }
          },
          onConnectionStateChange: (state) => {
            if (state.state === 'connecting' && state.error && !reconnecting) {
              reconnecting = true;
              io.err(`(lost the connection to the server: ${state.error.message}; reconnecting, Ctrl-C to stop)\n`);
            } else if (state.state === 'pending') reconnecting = false;
          },
          onError: (e) => {
            sub.unsubscribe();
            reject(e);
          },
        },
      );
      stopStream = () => {
        sub.unsubscribe();
        resolve('interrupted');
      };
    });
    if (interrupted) return EXIT.interrupted;
    // The server ends a follow with "the job is <state>" once the job has ended; anything else is a failure to read.
    if (!ended.startsWith('the job is')) throw new ClientFailure(`following the ${c.log} log of ${c.id} stopped: ${ended}`);
    const job = await finalState(c.id, hut, (wake) => (wakeFinalWait = wake), () => interrupted, io);
    if (job === null) return EXIT.interrupted;
    if (!isTerminal(job.state)) throw new ClientFailure(`stopped following ${c.id} while it is ${jobState(job)}: ${ended}`);
    if (job.state === 'completed') return EXIT.ok;
    const why = job.reason ? `: ${job.reason}` : job.exitCode !== null ? `, exit code ${job.exitCode}` : '';
    throw new ClientFailure(`job ${c.id} ended ${jobState(job)}${why}`);
  } finally {
    stopInterrupt();
  }
}

/**
 * The job's final state: a job whose log ended is often still `finishing`
 * (the scheduler's accounting has not confirmed it), so poll until it is
 * terminal. Null when interrupted.
 */
async function finalState(id: string, hut: HutClient, onWake: (wake: () => void) => void, interrupted: () => boolean, io: ClientIo): Promise<Job | null> {
  let said = false;
  for (;;) {
    const job = await hut.jobs.get.query({ id });
    if (interrupted()) return null;
    if (isTerminal(job.state) || (job.state !== 'finishing' && job.state !== 'running')) return job;
    if (!said) {
      said = true;
      io.err(`(the log ended; waiting for the final state of ${id}, now ${job.state})\n`);
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, FINAL_STATE_POLL_MS);
      onWake(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    if (interrupted()) return null;
  }
}
