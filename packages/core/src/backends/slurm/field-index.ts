/**
 * Positions of named fields in a record, computed once from the field list
 * the command was built with, so parsers read `values[at.State]` instead of
 * building a keyed object per record.
 */
export function fieldIndex<Field extends string>(fields: readonly Field[]): Record<Field, number> {
  const at = {} as Record<Field, number>;
  fields.forEach((field, index) => {
    at[field] = index;
  });
  return at;
}

/** The value at `index`; readRecords has checked the field count, so it is always present. */
export function field(values: readonly string[], index: number): string {
  return values[index] ?? '';
}
