import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

/**
 * Test-only: stops and restarts the shared testbed's slurmctld. Only for the
 * serial `faults` vitest project (see ./test-all): every other test on the
 * testbed fails while it is down.
 */

const run = promisify(execFile);
const PID_FILE = '/var/tmp/scripthut-testbed/pids/slurmctld.pid';
const UP = resolve(import.meta.dirname, '../../../testbed/up.sh');

/** The pid testbed/up.sh recorded, if that process is still slurmctld (a recycled pid is never touched). */
export function slurmctldPid(): number | null {
  if (!existsSync(PID_FILE)) return null;
  const [pid, comm] = readFileSync(PID_FILE, 'utf8').trim().split(/\s+/);
  const procComm = `/proc/${pid}/comm`;
  if (!pid || !existsSync(procComm)) return null;
  return readFileSync(procComm, 'utf8').trim() === comm ? Number(pid) : null;
}

/** SIGTERM (slurmctld saves its state and exits), then waits until the process is gone. */
export async function stopSlurmctld(timeoutMs = 30_000): Promise<void> {
  const pid = slurmctldPid();
  if (pid === null) throw new Error(`slurmctld is not running (per ${PID_FILE})`);
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (existsSync(`/proc/${pid}`)) {
    if (Date.now() > deadline)
      throw new Error(`slurmctld ${pid} still running ${timeoutMs} ms after SIGTERM`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** testbed/up.sh: idempotent, starts only what is not running (here slurmctld). */
export async function startSlurmctld(): Promise<void> {
  await run('bash', [UP], { timeout: 120_000 });
  if (slurmctldPid() === null) throw new Error('testbed/up.sh ran but slurmctld is not running');
}
