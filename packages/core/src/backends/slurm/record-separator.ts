import { randomBytes } from 'node:crypto';
import { CoreError } from '../../runtime/errors';

/**
 * Job names, comments, commands and paths are free text that Slurm prints
 * verbatim, including `|`, newlines and control characters (captured in
 * `__fixtures__/squeue-live`). No fixed delimiter is safe, so every squeue and
 * sacct call uses a fresh random separator that a job owner cannot predict.
 * It ends every field, and `separator + "\n"` ends every record. The command
 * prints the separator on the first line so the output describes itself.
 */
const SEPARATOR = /^@[0-9a-f]{12,32}@$/;

export function newRecordSeparator(): string {
  return `@${randomBytes(8).toString('hex')}@`;
}

export function assertRecordSeparator(separator: string): void {
  if (!SEPARATOR.test(separator)) {
    throw new CoreError('INVALID_INPUT', `not a record separator: ${JSON.stringify(separator)}`);
  }
}

/**
 * Splits output of the form `<sep>\n(<field><sep>){fieldCount}\n...` into
 * records. Throws SCHEDULER_ERROR on anything else (missing separator line,
 * truncated last record, wrong field count): malformed output must never read
 * as an empty or partial queue.
 */
export function readRecords(stdout: string, fieldCount: number, what: string): string[][] {
  return mapRecords(stdout, fieldCount, what, (fields) => fields.slice());
}

/**
 * readRecords, converting each record as it is read, without building the
 * per-record arrays and chunk strings (measured: they made splitting 2-3x
 * slower than a bare split). `convert` gets one reused array: it must copy
 * what it keeps, never the array itself.
 */
export function mapRecords<T>(
  stdout: string,
  fieldCount: number,
  what: string,
  convert: (fields: readonly string[]) => T,
): T[] {
  const firstNewline = stdout.indexOf('\n');
  const separator = firstNewline === -1 ? stdout : stdout.slice(0, firstNewline);
  if (firstNewline === -1 || !SEPARATOR.test(separator)) {
    throw malformed(what, 'the separator line is missing', stdout);
  }
  if (!stdout.endsWith(`${separator}\n`) && stdout.length > firstNewline + 1) {
    throw malformed(what, 'the last record is incomplete', stdout);
  }
  const out: T[] = [];
  const fields = new Array<string>(fieldCount).fill('');
  const end = stdout.length;
  let pos = firstNewline + 1;
  while (pos < end) {
    for (let i = 0; i < fieldCount; i++) {
      const next = stdout.indexOf(separator, pos);
      const recordEnds = next !== -1 && stdout.charCodeAt(next + separator.length) === NEWLINE;
      if (next === -1 || recordEnds !== (i === fieldCount - 1)) {
        return splitRecords(stdout, firstNewline, separator, fieldCount, what).map(convert);
      }
      fields[i] = stdout.slice(pos, next);
      pos = next + separator.length;
    }
    pos++;
    out.push(convert(fields));
  }
  return out;
}

const NEWLINE = 10;

/** The plain split, kept for malformed output: it names the bad record exactly and throws. */
function splitRecords(
  stdout: string,
  firstNewline: number,
  separator: string,
  fieldCount: number,
  what: string,
): string[][] {
  const chunks = stdout.slice(firstNewline + 1).split(`${separator}\n`);
  if (chunks.pop() !== '') throw malformed(what, 'the last record is incomplete', stdout);
  return chunks.map((chunk, index) => {
    const fields = chunk.split(separator);
    if (fields.length !== fieldCount) {
      throw malformed(
        what,
        `record ${index + 1} has ${fields.length} fields, expected ${fieldCount}`,
        stdout,
      );
    }
    return fields;
  });
}

/** readRecords, with each record keyed by its field name. */
export function readNamedRecords<Field extends string>(
  stdout: string,
  fields: readonly Field[],
  what: string,
): Record<Field, string>[] {
  return readRecords(stdout, fields.length, what).map((values) => {
    const record = {} as Record<Field, string>;
    fields.forEach((field, index) => {
      record[field] = values[index] ?? '';
    });
    return record;
  });
}

function malformed(what: string, problem: string, stdout: string): CoreError {
  return new CoreError('SCHEDULER_ERROR', `unexpected ${what} output: ${problem}`, {
    head: stdout.slice(0, 200),
  });
}
