import { Column, ColumnOptions } from 'typeorm';
import { Dialect, entityDialectOfProcess } from './dialect';

/**
 * The type of a text column that must hold more than 64 KB (a post's content: up to 100,000
 * characters, i.e. up to 400,000 bytes of UTF-8). `text` is unbounded on PostgreSQL and SQLite
 * but only 65,535 bytes on MySQL/MariaDB, where such a column needs `mediumtext` (16 MB).
 */
export function longTextType(dialect: Dialect | undefined): 'text' | 'mediumtext' {
  return dialect === 'mysql' ? 'mediumtext' : 'text';
}

/**
 * `@Column` of the long text type of the dialect this process's entities are declared for
 * (DATABASE_URL, see dialect.ts): the entity, the migrations (`longTextColumn`) and the database
 * agree on every dialect, an empty schema diff.
 */
export function LongTextColumn(options: Omit<ColumnOptions, 'type'> = {}): PropertyDecorator {
  return Column({ ...options, type: longTextType(entityDialectOfProcess().dialect) });
}
