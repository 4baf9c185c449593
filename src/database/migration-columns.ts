import { QueryRunner, TableColumnOptions } from 'typeorm';
import { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { dialectOfDataSource } from './dialect';
import { longTextType } from './long-text-column';

/**
 * Column builders for migrations that run unchanged on SQLite, PostgreSQL and MariaDB/MySQL.
 * Each asks the connected driver for the type and default TypeORM derives from the matching
 * entity decorator, so that after `migration:run` the schema and the entities agree (an empty
 * `schema:log`) on every dialect.
 */
export function uuidColumn(
  queryRunner: QueryRunner,
  name: string,
  options: Partial<TableColumnOptions> = {},
): TableColumnOptions {
  const driver = queryRunner.connection.driver;
  const type = driver.normalizeType({ type: 'uuid' });
  const isMysqlVarchar = type === 'varchar' && queryRunner.connection.options.type === 'mysql';
  return { name, type, length: isMysqlVarchar ? '255' : undefined, ...options };
}

export function varcharColumn(
  name: string,
  length: number,
  options: Partial<TableColumnOptions> = {},
): TableColumnOptions {
  return { name, type: 'varchar', length: String(length), ...options };
}

/** Matches `@Column({ type: 'text' })`: unbounded on PostgreSQL/SQLite, 64 KB on MariaDB. */
export function textColumn(
  name: string,
  options: Partial<TableColumnOptions> = {},
): TableColumnOptions {
  return { name, type: 'text', ...options };
}

/**
 * Matches `@LongTextColumn()`: `text`, or `mediumtext` on MariaDB/MySQL (see long-text-column.ts).
 * Chosen by the connection the migration runs on, which is the dialect the entities were
 * declared for (buildDataSourceOptions refuses any other).
 */
export function longTextColumn(
  queryRunner: QueryRunner,
  name: string,
  options: Partial<TableColumnOptions> = {},
): TableColumnOptions {
  return { name, type: longTextType(dialectOfDataSource(queryRunner.connection)), ...options };
}

/**
 * Matches `@Column({ type: Date })`: the same type and precision as the create/update date
 * columns (microseconds on MariaDB, whose plain `datetime` would drop the milliseconds).
 */
export function timestampColumn(
  queryRunner: QueryRunner,
  name: string,
  options: Partial<TableColumnOptions> = {},
): TableColumnOptions {
  const types = queryRunner.connection.driver.mappedDataTypes;
  return {
    name,
    type: types.createDate as string,
    precision: types.createDatePrecision,
    ...options,
  };
}

/** Matches `@Column({ type: 'integer' })`: `integer` on PostgreSQL and SQLite, `int` on MySQL. */
export function integerColumn(
  queryRunner: QueryRunner,
  name: string,
  options: Partial<TableColumnOptions> = {},
): TableColumnOptions {
  const type = queryRunner.connection.driver.normalizeType({ type: 'integer' });
  return { name, type, ...options };
}

export function booleanColumn(
  queryRunner: QueryRunner,
  name: string,
  defaultValue?: boolean,
): TableColumnOptions {
  const driver = queryRunner.connection.driver;
  const type = driver.normalizeType({ type: 'boolean' });
  const column = { type: 'boolean', default: defaultValue } as unknown as ColumnMetadata;
  return {
    name,
    type,
    default: defaultValue === undefined ? undefined : driver.normalizeDefault(column),
  };
}

export function createdAtColumn(queryRunner: QueryRunner, name = 'createdAt'): TableColumnOptions {
  const types = queryRunner.connection.driver.mappedDataTypes;
  return {
    name,
    type: types.createDate as string,
    precision: types.createDatePrecision,
    default: types.createDateDefault,
  };
}

export function updatedAtColumn(queryRunner: QueryRunner, name = 'updatedAt'): TableColumnOptions {
  const types = queryRunner.connection.driver.mappedDataTypes;
  const isMysql = ['mysql', 'mariadb'].includes(queryRunner.connection.options.type);
  return {
    name,
    type: types.updateDate as string,
    precision: types.updateDatePrecision,
    default: types.updateDateDefault,
    // TypeORM declares MySQL update-date columns with ON UPDATE; the entity diff expects it.
    onUpdate: isMysql ? types.updateDateDefault : undefined,
  };
}

/**
 * Drops a column without touching other tables' rows. TypeORM drops a SQLite column by rebuilding
 * the table, and a revert runs with foreign keys enforced (the pragma that turns them off is a
 * no-op inside the transaction TypeORM has already opened): dropping the old table would
 * cascade-delete every row that references it. SQLite >= 3.35 drops the column in place.
 */
export async function dropColumnInPlace(
  queryRunner: QueryRunner,
  table: string,
  column: string,
): Promise<void> {
  if (dialectOfDataSource(queryRunner.connection) === 'sqlite') {
    // Raw SQL: TypeORM's dropColumn would rebuild the table (see above).
    await queryRunner.query(`ALTER TABLE "${table}" DROP COLUMN "${column}"`);
  } else {
    await queryRunner.dropColumn(table, column);
  }
}
