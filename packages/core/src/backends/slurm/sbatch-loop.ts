import { randomBytes } from 'node:crypto';
import { shellQuote, type CommandResult } from '../../runtime/command-runner';
import { parseSbatchOutput, type SbatchOutcome } from './parse-sbatch-output';
import { SCRIPTHUT_COMMENT_PREFIX } from './parse-squeue';

/** One job of an sbatch loop: its tag and rendered script. */
export interface LoopItem {
  tag: string;
  script: string;
}

/**
 * Per-tag outcome of an sbatch loop: sbatch's own answer (classified exactly as a
 * single submit is), `skipped` when the loop never ran sbatch for the tag
 * (an earlier sbatch found the controller busy: nothing was queued), or
 * `missing` when no marker line came back (the exec died or timed out: the
 * job may exist).
 */
export type LoopOutcome =
  { kind: 'sbatch'; outcome: SbatchOutcome } | { kind: 'skipped' } | { kind: 'missing' };

/** Bytes of shell text around each script: the whole command stays below maxCommandBytes. */
export const LOOP_OVERHEAD_BYTES = 400;

/**
 * One shell command that submits every item with its own sbatch, in order.
 * Each script travels base64-encoded inside single quotes, so nothing in it
 * reaches the shell. One watchdog kills an sbatch still running after
 * `perJobTimeoutS` (it retries forever while slurmctld is full; login nodes
 * may lack GNU `timeout`); once one ends busy or killed, the rest are
 * skipped. Per job only base64 and sbatch are forked (measured: a watcher
 * and encoders per job made the loop 4x slower than a plain sbatch loop).
 * Every item prints one marker line: `<marker> <tag> skip`, or
 * `<marker> <tag> <status> <stdout> <stderr>` where stdout is `r:<line>`
 * when it is one line of `--parsable` characters, else `b:<base64>`, and
 * stderr is `b:<base64>` (empty when sbatch printed nothing).
 */
export function sbatchLoopCommand(
  items: readonly LoopItem[],
  marker: string,
  perJobTimeoutS: number,
): string {
  const lines = [
    'cd "$HOME" || exit 1',
    'd=$(mktemp -d) || exit 1',
    ': > "$d/cur"',
    `( n=0; last=; while sleep 1; do kill -0 $$ 2>/dev/null || exit 0; cur=; read -r cur < "$d/cur"; ` +
      `if [ -n "$cur" ] && [ "$cur" = "$last" ]; then n=$((n + 1)); if [ "$n" -ge ${perJobTimeoutS} ]; then kill "$cur" 2>/dev/null; fi; ` +
      `else n=0; last=$cur; fi; done ) >/dev/null 2>&1 &`,
    'wd=$!',
    `trap 'kill $wd 2>/dev/null; rm -rf "$d"' EXIT`,
    'stop=0',
    'b() {',
    `  if [ "$stop" = 1 ]; then printf '%s %s skip\\n' ${marker} "$1"; return; fi`,
    // A here-document, not `printf | base64`: one fork less per job. Base64 holds no `$`, backslash or backquote.
    'base64 -d > "$d/s" <<SCRIPTHUT_B64',
    '$2',
    'SCRIPTHUT_B64',
    `  sbatch --parsable --comment="${SCRIPTHUT_COMMENT_PREFIX}$1" < "$d/s" > "$d/o" 2> "$d/e" & p=$!`,
    '  echo "$p" > "$d/cur"; wait "$p"; r=$?; : > "$d/cur"',
    '  o1=; o2=; { IFS= read -r o1; IFS= read -r o2; } < "$d/o"',
    '  case "$o1" in *[!0-9\\;A-Za-z_.-]*) o2=x ;; esac',
    '  if [ -z "$o2" ]; then o="r:$o1"; else o="b:$(base64 -w0 < "$d/o")"; fi',
    '  e="b:"; if [ -s "$d/e" ]; then e="b:$(base64 -w0 < "$d/e")"; ' +
      `grep -qiE '${BUSY_TEXT}' "$d/e" && stop=1; fi`,
    '  [ "$r" -gt 128 ] && stop=1',
    `  printf '%s %s %s %s %s\\n' ${marker} "$1" "$r" "$o" "$e"`,
    '}',
  ];
  for (const item of items) {
    lines.push(
      `b ${shellQuote(item.tag)} '${Buffer.from(item.script, 'utf8').toString('base64')}'`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** sbatch's retry messages (as in parseSbatchOutput): stop the loop, later sbatches would wait too. */
const BUSY_TEXT = 'temporarily unable to accept job|job queue full|creation temporarily disabled';

export function newLoopMarker(): string {
  return `@batch${randomBytes(8).toString('hex')}@`;
}

/** Outcome for every tag of the loop, read from the marker lines; anything else on stdout is ignored. */
export function parseSbatchLoopOutput(
  stdout: string,
  marker: string,
  tags: readonly string[],
): Map<string, LoopOutcome> {
  const seen = new Map<string, LoopOutcome>();
  for (const line of stdout.split('\n')) {
    const parts = line.split(' ');
    if (parts[0] !== marker || parts[1] === undefined) continue;
    const tag = parts[1];
    if (parts.length === 3 && parts[2] === 'skip') {
      seen.set(tag, { kind: 'skipped' });
      continue;
    }
    if (parts.length !== 5 || !/^\d+$/.test(parts[2] ?? '')) continue;
    const status = Number(parts[2]);
    const result: CommandResult = {
      stdout: field(parts[3] ?? ''),
      stderr: field(parts[4] ?? ''),
      // The shell's 128+n: sbatch was killed (by the watcher), no exit status of its own.
      exitCode: status > 128 ? null : status,
      signal: status > 128 ? String(status - 128) : null,
      durationMs: 0,
    };
    seen.set(tag, { kind: 'sbatch', outcome: parseSbatchOutput(result) });
  }
  return new Map(tags.map((tag) => [tag, seen.get(tag) ?? { kind: 'missing' }]));
}

/** `r:<line>` is one raw line (only `--parsable` characters); `b:<base64>` is the exact bytes. */
function field(text: string): string {
  if (text.startsWith('r:')) return text === 'r:' ? '' : `${text.slice(2)}\n`;
  return Buffer.from(text.slice(2), 'base64').toString('utf8');
}
