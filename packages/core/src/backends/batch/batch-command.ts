/**
 * The container command of a task. Batch's containerOverrides has no working
 * directory, so a task with one runs through a fixed wrapper that receives
 * the directory and the command as positional parameters ($1, $2): neither
 * is ever part of a shell string, so no value can be interpreted twice.
 */
export const CD_WRAPPER = 'cd -- "$1" || exit 1; exec bash -c "$2"';
/** `$0` of the wrapper: what `ps` shows and what recognises our own command when it is read back. */
export const CD_WRAPPER_NAME = 'scripthut-cd';

export function containerCommand(command: string, workingDir: string | null): string[] {
  return workingDir === null
    ? ['bash', '-c', command]
    : ['bash', '-c', CD_WRAPPER, CD_WRAPPER_NAME, workingDir, command];
}

/** The task command and working directory of a container command (ours read back; others joined). */
export function commandOf(argv: readonly string[] | undefined): {
  command: string | null;
  workDir: string | null;
} {
  if (argv === undefined || argv.length === 0) return { command: null, workDir: null };
  if (
    argv.length === 6 &&
    argv[0] === 'bash' &&
    argv[1] === '-c' &&
    argv[2] === CD_WRAPPER &&
    argv[3] === CD_WRAPPER_NAME
  ) {
    return { command: argv[5]!, workDir: argv[4]! };
  }
  if (argv.length === 3 && argv[0] === 'bash' && argv[1] === '-c')
    return { command: argv[2]!, workDir: null };
  return { command: argv.join(' '), workDir: null };
}
