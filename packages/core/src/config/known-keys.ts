import { z } from 'zod';

/**
 * The keys the schema accepts for the object at `path` in `data`, used to
 * suggest the intended key when a typo'd one is found. Walks the schema along
 * the data (choosing a union member by its `type`).
 */
export function knownKeysAt(schema: z.ZodType, data: unknown, path: readonly PropertyKey[]): string[] {
  let current: z.ZodType | null = unwrap(schema, data);
  let value: unknown = data;
  for (const segment of path) {
    value = (value as Record<PropertyKey, unknown> | undefined)?.[segment];
    if (current instanceof z.ZodObject) {
      const next: unknown = current.shape[String(segment)];
      current = next instanceof z.ZodType ? unwrap(next, value) : null;
    } else if (current instanceof z.ZodArray) {
      // tsc types `element` as the core $ZodType; every schema here is a classic ZodType.
      current = unwrap(current.element as unknown as z.ZodType, value);
    } else if (current instanceof z.ZodRecord) {
      current = unwrap(current.valueType as unknown as z.ZodType, value);
    } else {
      return [];
    }
  }
  return current instanceof z.ZodObject ? Object.keys(current.shape) : [];
}

function unwrap(schema: z.ZodType, value: unknown): z.ZodType | null {
  let s: z.ZodType = schema;
  for (;;) {
    if (s instanceof z.ZodDefault || s instanceof z.ZodOptional || s instanceof z.ZodNullable) {
      s = s.unwrap() as z.ZodType;
    } else if (s instanceof z.ZodDiscriminatedUnion) {
      const type = (value as { type?: unknown } | undefined)?.type;
      const match = (s.options as z.ZodType[]).find(
        (o) => o instanceof z.ZodObject && (o.shape as { type?: z.ZodType }).type?.safeParse(type).success,
      );
      return match ?? null;
    } else {
      return s;
    }
  }
}
