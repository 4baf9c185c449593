export interface SortOrder<Field extends string> {
  field: Field;
  direction: 'ASC' | 'DESC';
}

/** The accepted values of a `sort` query parameter: each field, ascending or `-` descending. */
export function sortValues<Field extends string>(fields: readonly Field[]): string[] {
  return fields.flatMap((field) => [field, `-${field}`]);
}

export function parseSort<Field extends string>(value: string): SortOrder<Field> {
  return value.startsWith('-')
    ? { field: value.slice(1) as Field, direction: 'DESC' }
    : { field: value as Field, direction: 'ASC' };
}
