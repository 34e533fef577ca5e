import { ZodError } from 'zod';

export interface FieldIssue {
  /** Dotted path of the input field, `(input)` for the whole input. */
  field: string;
  message: string;
}

const MAX_MESSAGE_CHARS = 500;

const fieldOf = (path: readonly PropertyKey[]): string =>
  path.length === 0
    ? '(input)'
    : path
        .map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))
        .join('.')
        .replace(/\.\[/g, '[');

/** Input validation failures as one readable line per field, instead of zod's JSON dump. */
export function describeInputError(
  cause: unknown,
): { message: string; fields: FieldIssue[] } | null {
  if (!(cause instanceof ZodError)) return null;
  const fields = cause.issues.map((i) => ({ field: fieldOf(i.path), message: i.message }));
  const text = `Invalid input: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`;
  return {
    message: text.length > MAX_MESSAGE_CHARS ? `${text.slice(0, MAX_MESSAGE_CHARS)}…` : text,
    fields,
  };
}
