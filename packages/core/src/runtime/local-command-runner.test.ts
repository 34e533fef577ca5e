import { describe, expect, it } from 'vitest';
import { LocalCommandRunner } from './local-command-runner';

const runner = new LocalCommandRunner('/', { PATH: '/usr/bin:/bin' });
/** A bash command line of exactly `bytes` bytes that prints `ok`. */
const commandOf = (bytes: number): string => `echo ok # ${'x'.repeat(bytes - 10)}`;

describe('LocalCommandRunner', () => {
  it('refuses a command longer than the operating system takes in one argument with COMMAND_TOO_LONG, its length and the limit', async () => {
    await expect(runner.run(commandOf(200_000))).rejects.toMatchObject({
      name: 'CoreError',
      code: 'COMMAND_TOO_LONG',
      details: { commandBytes: 200_000, limitBytes: 131_072 },
      message: expect.stringMatching(
        /^The command is 200,000 bytes long, too long for the operating system to start \(E2BIG; Linux takes at most 131,072 bytes in one command\): put it in a script file and run that$/,
      ) as string,
    });
  });

  it('runs a command of the longest length the operating system takes', async () => {
    expect(commandOf(131_071)).toHaveLength(131_071);
    await expect(runner.run(commandOf(131_071))).resolves.toMatchObject({
      stdout: 'ok\n',
      exitCode: 0,
    });
  });
});
