import { Column, ColumnOptions } from 'typeorm';
import { MysqlDriver } from 'typeorm/driver/mysql/MysqlDriver';

/**
 * Text columns that must hold more than 64 KB (a post's content: up to 100,000 characters, i.e.
 * up to 400,000 bytes of UTF-8).
 *
 * `text` is unbounded on PostgreSQL and SQLite but only 65,535 bytes on MySQL/MariaDB, where such
 * a column needs `mediumtext` (16 MB). TypeORM has one type per entity column for every driver,
 * and decorators run once per process, before anyone knows which database a DataSource will
 * reach (the CLI, the app and the tests each build DataSources for URLs of their own). The one
 * place that is per DataSource and knows its dialect is the driver's type normalisation, which
 * entity validation, the schema diff (`schema:log`), synchronisation and our migration builder
 * (`longTextColumn`) all go through. So the entity declares `text` and the MySQL-family driver
 * is taught that columns declared with `LongTextColumn()` are `mediumtext`; PostgreSQL and SQLite
 * keep `text`. The entity, the migrations and the database agree on every dialect (an empty
 * schema diff), with no environment sniffing at import time.
 */
export const MYSQL_LONG_TEXT_TYPE = 'mediumtext';

interface ColumnLike {
  target?: unknown;
  propertyName?: string;
}

const longTextProperties = new WeakMap<object, Set<string>>();

/** Stands for "a long text column" where there is no entity column yet: in migrations. */
export const LONG_TEXT_COLUMN_PROBE: ColumnLike & { type: 'text' } = Object.freeze({
  type: 'text',
});

function isLongTextColumn(column: ColumnLike): boolean {
  if (column === LONG_TEXT_COLUMN_PROBE) return true;
  const { target, propertyName } = column;
  if (typeof target !== 'function' || !propertyName) return false;
  return longTextProperties.get(target)?.has(propertyName) ?? false;
}

const normalizeMysqlType = MysqlDriver.prototype.normalizeType;
MysqlDriver.prototype.normalizeType = function (this: MysqlDriver, column) {
  return isLongTextColumn(column as ColumnLike)
    ? MYSQL_LONG_TEXT_TYPE
    : normalizeMysqlType.call(this, column);
};

/** A `text` column that holds more than 64 KB on every dialect (see above). */
export function LongTextColumn(options: Omit<ColumnOptions, 'type'> = {}): PropertyDecorator {
  return (prototype, propertyName) => {
    const target = prototype.constructor;
    const properties = longTextProperties.get(target) ?? new Set<string>();
    properties.add(String(propertyName));
    longTextProperties.set(target, properties);
    Column({ ...options, type: 'text' })(prototype, propertyName);
  };
}
