// Imports nothing, so the entry point can choose between server and client before loading either.

const SERVER_FLAGS_WITH_VALUES = new Set(['--config', '-c', '--host', '--port', '-p', '--server', '--token-env']);

/**
 * The client command in argv, or null when argv is the server form
 * (`scripthut [--config] [--host] [--port] [--reset-token]`: no command word).
 * The command is the first word that is not an option or an option's value.
 */
export function findCommand(argv: readonly string[]): { name: string; index: number } | null {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return null;
    if (arg.startsWith('-')) {
      if (SERVER_FLAGS_WITH_VALUES.has(arg)) i++;
      continue;
    }
    return { name: arg, index: i };
  }
  return null;
}
