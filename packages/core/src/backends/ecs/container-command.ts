/**
 * The container's argv for a task's shell command line. The command is one
 * argv element of `bash -c`, never spliced into another shell string; a
 * working directory (RunTask has no override for it) is a positional
 * argument of a fixed script: `bash -c 'cd -- "$1" && exec bash -c "$2"' scripthut <dir> <command>`.
 */
export const CD_SCRIPT = 'cd -- "$1" && exec bash -c "$2"';

export function containerCommand(command: string, workingDir: string | null): string[] {
  if (workingDir === null) return ['bash', '-c', command];
  return ['bash', '-c', CD_SCRIPT, 'scripthut', workingDir, command];
}
