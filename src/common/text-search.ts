import { Brackets, ObjectLiteral, SelectQueryBuilder } from 'typeorm';

const LIKE_ESCAPE = '!';

/**
 * `%` and `_` in user input match themselves. The escape character is `!` rather than a backslash
 * because MariaDB treats a backslash inside the ESCAPE literal as a string escape itself.
 */
export function likeContainsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[!%_]/g, (char) => LIKE_ESCAPE + char)}%`;
}

/**
 * Adds a case-insensitive, literal "contains" filter over several columns (OR-ed), written the
 * same way on SQLite, PostgreSQL and MariaDB. A condition of our own because TypeORM's `Like` and
 * `ILike` take no ESCAPE clause, and SQLite has no default escape character.
 */
export function whereContains<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  columns: string[],
  text: string,
  parameterName = 'search',
): SelectQueryBuilder<T> {
  return query.andWhere(
    new Brackets((where) => {
      for (const column of columns) {
        where.orWhere(`LOWER(${column}) LIKE :${parameterName} ESCAPE '${LIKE_ESCAPE}'`);
      }
    }),
    { [parameterName]: likeContainsPattern(text) },
  );
}
