import { findCommand } from './client/command-word';

// No command word: the server (`scripthut [--config] [--host] [--port]`), as before.
// Each side is loaded only when used, so a client command starts without the server's modules.
const argv = process.argv.slice(2);
const run: Promise<number> = findCommand(argv)
  ? import('./client/run-client').then((m) => m.runClient(argv, m.processIo(), process.env))
  : import('./main').then((m) => m.main(argv));

run.then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`scripthut: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
