import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../runtime/clock';
import { backendContract } from '../contract/backend-contract';
import { LocalBackend } from './local-backend';

backendContract('local', () => {
  const root = mkdtempSync(join(tmpdir(), 'scripthut-local-contract-'));
  const make = () => new LocalBackend({ root: join(root, 'state'), homeDir: root, user: 'me', clock: systemClock });
  return Promise.resolve({
    backend: make(),
    reopen: make,
    user: 'me',
    settleTimeoutMs: 15_000,
    spec: ({ tag, name, command, memory, timeLimit }) => ({
      tag,
      name,
      command,
      workingDir: root,
      cpus: 1,
      memory: memory ?? '1G',
      timeLimit: timeLimit ?? '10:00',
      partition: null,
      account: null,
      stdoutPath: join(root, 'logs', `${tag}.out`),
      stderrPath: join(root, 'logs', `${tag}.err`),
    }),
    close: () => {
      rmSync(root, { recursive: true, force: true });
      return Promise.resolve();
    },
  });
});
