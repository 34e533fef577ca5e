import { randomBytes } from 'node:crypto';
import { renderJobScript } from '../src/backends/slurm';
import { SlurmBackend } from '../src/backends/slurm/slurm-backend';
import { backendContract, type ContractHarness } from '../src/backends/contract/backend-contract';
import { connectAs, sbatch } from './testbed';

// The real Slurm of the testbed (slurmctld + slurmdbd, cgroup memory limits) over real SSH.
const ssh = connectAs('hutuser');
backendContract(
  'Slurm',
  async (): Promise<ContractHarness> => {
    const dir = `/home/hutuser/.cache/scripthut/contract-${randomBytes(4).toString('hex')}`;
    // sbatch opens the output files before the job starts: their directory must exist.
    await ssh.run(`mkdir -p -- '${dir}'`, { timeoutMs: 30_000 });
    const make = () => new SlurmBackend(ssh, { renderScript: renderJobScript });
    return {
      backend: make(),
      reopen: make,
      user: 'hutuser',
      settleTimeoutMs: 90_000,
      spec: ({ tag, name, command, memory, timeLimit }) => ({
        tag,
        name,
        command,
        workingDir: '/tmp',
        cpus: 1,
        memory: memory ?? '100M',
        timeLimit: timeLimit ?? '10:00',
        partition: null,
        account: null,
        stdoutPath: `${dir}/${tag}.out`,
        stderrPath: `${dir}/${tag}.err`,
      }),
      close: async () => {
        await ssh.run(`rm -rf -- '${dir}'`, { timeoutMs: 30_000 });
        await ssh.close();
      },
    };
  },
  {
    outOfMemory: {
      memory: '20M',
      command: 'python3 -c "x=bytearray(300*1024*1024); import time; time.sleep(3)"',
    },
    arrays: {
      // As a user would: the script on stdin, tasks numbered 0 to size-1, no output files.
      submit: ({ name, size, command }) =>
        sbatch(ssh, `-J ${name} --array=0-${size - 1} --time=5 --mem=20M -o /dev/null`, command),
    },
  },
);
