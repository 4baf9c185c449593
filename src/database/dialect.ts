import type { DataSource } from 'typeorm';
import { DEFAULT_DATABASE_URL } from '../config/environment';

export type Dialect = 'sqlite' | 'postgres' | 'mysql';

export function dialectOf(url: string): Dialect {
  if (url.startsWith('sqlite:')) return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgres';
  if (/^(mysql|mariadb):\/\//.test(url)) return 'mysql';
  throw new Error(`Unsupported DATABASE_URL scheme: ${url.split(':')[0]}`);
}

/** The dialect of a data source built from these options. */
export function dialectOfDataSource(dataSource: Pick<DataSource, 'options'>): Dialect {
  const { type } = dataSource.options;
  if (type === 'postgres') return 'postgres';
  return type === 'mysql' || type === 'mariadb' ? 'mysql' : 'sqlite';
}

interface EntityDialect {
  /** Undefined when DATABASE_URL is no URL we support (validateEnvironment then stops the app). */
  dialect: Dialect | undefined;
  scheme: string;
}

let entityDialect: EntityDialect | undefined;

/**
 * The dialect the entities of this process are declared for: that of DATABASE_URL (its default
 * when unset) the first time anyone asks: when the first `LongTextColumn` is declared, or
 * when the first DataSource options are built if that comes first. Decorators run at import,
 * before any DataSource exists, and some column types differ per dialect (`LongTextColumn`), so
 * one process serves one dialect: entry points must have DATABASE_URL (and `.env`, see
 * config/load-env.ts) in place before they import the entities, and `buildDataSourceOptions`
 * refuses any other dialect. Fixed once asked: changing DATABASE_URL later changes no entity.
 */
export function entityDialectOfProcess(): EntityDialect {
  if (entityDialect === undefined) {
    const url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
    let dialect: Dialect | undefined;
    try {
      dialect = dialectOf(url);
    } catch {
      dialect = undefined; // reported by validateEnvironment, with the variable's name
    }
    entityDialect = { dialect, scheme: url.split(':')[0] };
  }
  return entityDialect;
}

/** Throws unless a DataSource for `url` may use this process's entities. */
export function assertEntityDialect(url: string): void {
  const declared = entityDialectOfProcess();
  const wanted = dialectOf(url);
  if (declared.dialect === wanted) return;
  const declaredAs = declared.dialect
    ? `${declared.dialect} (DATABASE_URL ${declared.scheme}:…)`
    : `an unsupported DATABASE_URL (${declared.scheme}:…)`;
  throw new Error(
    `This process's entities are declared for ${declaredAs}, not for a ${wanted} database ` +
      `(${url.split(':')[0]}:…): column types differ per dialect and are fixed when the entity ` +
      `files are imported. One process talks to one dialect: set DATABASE_URL to the database's ` +
      `URL before anything imports the entities.`,
  );
}
