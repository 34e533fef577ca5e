import type { SubmitSpec } from '../backend';
import { shellQuotePath } from '../../runtime/command-runner';

/**
 * The script the local backend runs for a job, byte for byte. The command is
 * the script's own text (written to a file, never interpolated into a
 * command line), so it runs exactly as written; only the working directory
 * is quoted, keeping a leading `~` meaning the home directory.
 */
export function renderLocalScript(spec: SubmitSpec): string {
  return `set -o pipefail\ncd ${shellQuotePath(spec.workingDir ?? '~')} || exit 1\n${spec.command}\n`;
}
