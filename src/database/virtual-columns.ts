/**
 * The SQL of a `@VirtualColumn` that counts the rows of `table` whose `foreignKey` is the id of
 * the entity selected as `escapedAlias`. TypeORM hands the query only that alias, already quoted
 * by the driver (`"post"`, or `` `post` `` on MariaDB), so the other identifiers are quoted with
 * the same character: camelCase names need quotes on PostgreSQL.
 */
export function countOfReferencingRows(
  table: string,
  foreignKey: string,
  escapedAlias: string,
): string {
  const quote = escapedAlias[0];
  const name = (identifier: string) => `${quote}${identifier}${quote}`;
  return (
    `SELECT COUNT(*) FROM ${name(table)} ` +
    `WHERE ${name(table)}.${name(foreignKey)} = ${escapedAlias}.${name('id')}`
  );
}

/** Counts come back as bigint text on PostgreSQL and MariaDB, as numbers on SQLite. */
export const COUNT_TRANSFORMER = {
  from: (value: unknown): number => Number(value ?? 0),
  to: (value: unknown): unknown => value,
};
