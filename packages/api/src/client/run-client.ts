import { ConfigError } from '@scripthut/core';
import { ApiTokenFileError } from '../auth/api-tokens';
import { ClientUsageError, parseClientCli } from './client-args';
import { commandHelp } from './client-usage';
import { runRemote, type ClientIo } from './commands';
import { connect } from './connect';
import { describeFailure, EXIT } from './exit-codes';
import { runTokenCommand } from './token-command';

/** A client command line from start to exit code: parse, run, and turn every failure into a message and a code. */
export async function runClient(argv: readonly string[], io: ClientIo, env: Readonly<Record<string, string | undefined>>): Promise<number> {
  let inv;
  try {
    inv = parseClientCli(argv, env);
  } catch (e) {
    if (!(e instanceof ClientUsageError)) throw e;
    const help = e.command ? `scripthut ${e.command} --help` : 'scripthut --help';
    io.err(`scripthut: ${e.message}\nSee: ${help}\n`);
    return EXIT.usage;
  }
  const command = inv.command;
  if (command.kind === 'help') {
    io.out(commandHelp(command.command));
    return EXIT.ok;
  }
  if (command.kind === 'token') {
    try {
      return await runTokenCommand(command, inv.json, io);
    } catch (e) {
      if (e instanceof ConfigError) {
        io.err(`scripthut: ${e.message}\n`);
        return EXIT.usage;
      }
      if (e instanceof ApiTokenFileError) {
        io.err(`scripthut: ${e.message}\n`);
        return e.notFound ? EXIT.notFound : EXIT.failed;
      }
      throw e;
    }
  }
  try {
    return await runRemote(command, inv, connect(inv.connection), io);
  } catch (e) {
    const failure = describeFailure(e, inv.connection);
    io.err(`scripthut: ${failure.message}\n`);
    return failure.exit;
  }
}

/** The real process: stdout, stderr, the terminal's width, SIGINT. */
export const processIo = (): ClientIo => ({
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  layout: process.stdout.isTTY ? { width: process.stdout.columns } : {},
  onInterrupt: (handler) => {
    process.on('SIGINT', handler);
    return () => process.off('SIGINT', handler);
  },
});
