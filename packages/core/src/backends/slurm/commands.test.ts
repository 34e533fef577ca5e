import { describe, expect, it } from 'vitest';
import { isCoreError } from '../../runtime/errors';
import { sacctCommand, sbatchCommand, scancelCommand, squeueCommand } from './commands';
import { captureNames, loadCapture } from './load-capture';
import { newRecordSeparator } from './record-separator';

const SEP = '@0123456789abcdef@';

/** The command capture-fixtures.sh ran for a capture, rebuilt with commands.ts. */
function rebuild(name: string, recorded: string, separator: string): string {
  if (name.startsWith('squeue-'))
    return squeueCommand(separator, { includeFinished: recorded.includes(' --states=all ') });
  if (name.startsWith('sacct-')) {
    const ids = /--jobs=(\S+)/.exec(recorded)?.[1] ?? '';
    return sacctCommand(ids.split(','), separator);
  }
  if (name.startsWith('scancel-')) {
    const ids = recorded
      .replace(/^scancel --verbose /, '')
      .split(' ')
      .map((id) => id.replace(/'/g, ''));
    return scancelCommand(ids);
  }
  if (name.startsWith('sbatch-')) return sbatchCommand();
  throw new Error(`no rule for capture ${name}`);
}

/** Captures of what Slurm itself says or wrote, kept as evidence: no command ScriptHut runs. */
const EVIDENCE = /^(scontrol|files)-/;

describe('command lines', () => {
  it.each(captureNames().filter((name) => !EVIDENCE.test(name)))(
    'capture %s ran exactly the command commands.ts builds',
    (name) => {
      const capture = loadCapture(name);
      const separator = capture.stdout.split('\n', 1)[0] ?? '';
      expect(capture.command).toBe(rebuild(name, capture.command, separator));
    },
  );

  it('asks squeue for every user, in UTC, with untruncated array ranges and one separator per field', () => {
    const command = squeueCommand(SEP);
    expect(command).toMatch(
      /^printf '%s\\n' '@0123456789abcdef@'; TZ=UTC SLURM_BITSTR_LEN=0 squeue --all --noheader --Format='/,
    );
    expect(command).not.toMatch(/ -u |--user|--json/);
    expect(command).toContain('JobArrayID:0@0123456789abcdef@,UserName:0@0123456789abcdef@');
    expect(command).toContain('Comment:0@0123456789abcdef@,Name:0@0123456789abcdef@');
  });

  it('adds --states=all only when finished jobs are wanted', () => {
    expect(squeueCommand(SEP)).not.toContain('--states');
    expect(squeueCommand(SEP, { includeFinished: true })).toContain(' --states=all ');
  });

  it('refuses a separator that is not a hex token, so nothing can be injected through it', () => {
    for (const bad of ["@x'; rm -rf ~; '@", '|', '@12@', '']) {
      expect(() => squeueCommand(bad)).toThrow(/not a record separator/);
      expect(() => sacctCommand(['1'], bad)).toThrow(/not a record separator/);
    }
  });

  it('makes a fresh random separator each time', () => {
    const a = newRecordSeparator();
    expect(a).toMatch(/^@[0-9a-f]{16}@$/);
    expect(newRecordSeparator()).not.toBe(a);
  });
});

describe('sacctCommand', () => {
  it('asks for many jobs in one call, all users, UTC, no time window', () => {
    expect(sacctCommand(['12', '13_4', '15'], SEP)).toBe(
      "printf '%s\\n' '@0123456789abcdef@'; TZ=UTC sacct --allusers --noheader --parsable " +
        "--delimiter='@0123456789abcdef@' --jobs=12,13_4,15 " +
        '--format=JobID,JobIDRaw,State,ExitCode,DerivedExitCode,Reason,Submit,Start,End,Elapsed,Comment,' +
        'TotalCPU,AllocCPUS,MaxRSS,ReqMem',
    );
  });

  it('asks for a pending array range by its base id, once', () => {
    expect(sacctCommand(['61_[5-9]', '61_[1,3%2]', '7'], SEP)).toContain('--jobs=61,7 ');
  });

  it.each([['abc'], ['12 13'], ['12;reboot'], ['-1'], ['12.batch'], ['']])(
    'rejects %j before it can fail the whole sacct call',
    (id) => {
      expect(() => sacctCommand([id], SEP)).toThrow(/not a Slurm job id/);
    },
  );

  it('rejects an empty list with INVALID_INPUT', () => {
    try {
      sacctCommand([], SEP);
      expect.unreachable();
    } catch (error) {
      expect(isCoreError(error) && error.code).toBe('INVALID_INPUT');
    }
  });
});

describe('scancelCommand', () => {
  it('cancels several ids verbosely, quoting ranges and dropping a %N throttle', () => {
    expect(scancelCommand(['12', '13_4', '14_[5-9%2]', '15+1'])).toBe(
      "scancel --verbose 12 13_4 '14_[5-9]' 15+1",
    );
  });

  it('rejects anything that is not a job id', () => {
    expect(() => scancelCommand(['12', '$(reboot)'])).toThrow(/not a Slurm job id/);
    expect(() => scancelCommand([])).toThrow(/at least one/);
  });
});

describe('sbatchCommand', () => {
  it('submits the script from stdin, from the home directory, with a parsable reply', () => {
    expect(sbatchCommand()).toBe('cd "$HOME" && sbatch --parsable');
  });
});
