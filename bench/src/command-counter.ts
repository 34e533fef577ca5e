import type { CommandResult, RunOptions } from '@scripthut/core';
import { SshConnection } from '../../packages/core/src/ssh';

export const SCHEDULER_COMMANDS = ['squeue', 'sacct', 'sbatch', 'scancel'] as const;
export type SchedulerCommand = (typeof SCHEDULER_COMMANDS)[number];

export interface CommandCounter {
  /** Commands started since install, per scheduler command, plus `other` (shell helpers). */
  snapshot(): Record<SchedulerCommand | 'other', number>;
  uninstall(): void;
}

/**
 * Counts every command any SshConnection in this process runs, at the
 * CommandRunner level, by wrapping `SshConnection.prototype.run`. The server
 * builds its connection inside createCore, so the prototype is the one place
 * to see its commands without changing core. One command line counts once per
 * scheduler tool it invokes.
 */
export function installCommandCounter(): CommandCounter {
  const counts: Record<SchedulerCommand | 'other', number> = {
    squeue: 0,
    sacct: 0,
    sbatch: 0,
    scancel: 0,
    other: 0,
  };
  const original = SshConnection.prototype.run;
  SshConnection.prototype.run = function countedRun(
    this: SshConnection,
    command: string,
    options?: RunOptions,
  ): Promise<CommandResult> {
    const tools = SCHEDULER_COMMANDS.filter((tool) => new RegExp(`\\b${tool}\\b`).test(command));
    if (tools.length === 0) counts.other++;
    for (const tool of tools) counts[tool]++;
    return original.call(this, command, options);
  };
  return {
    snapshot: () => ({ ...counts }),
    uninstall: () => {
      SshConnection.prototype.run = original;
    },
  };
}

export function diffCounts(
  after: Record<SchedulerCommand | 'other', number>,
  before: Record<SchedulerCommand | 'other', number>,
): Record<SchedulerCommand | 'other', number> {
  return {
    squeue: after.squeue - before.squeue,
    sacct: after.sacct - before.sacct,
    sbatch: after.sbatch - before.sbatch,
    scancel: after.scancel - before.scancel,
    other: after.other - before.other,
  };
}

export const schedulerTotal = (c: Record<SchedulerCommand | 'other', number>): number =>
  c.squeue + c.sacct + c.sbatch + c.scancel;
