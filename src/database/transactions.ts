import { DataSource, EntityManager } from 'typeorm';

const sqliteTransactionQueues = new WeakMap<DataSource, Promise<unknown>>();

/**
 * Runs `work` in one database transaction.
 *
 * TypeORM's SQLite drivers share a single connection between all query runners, so two
 * overlapping `dataSource.transaction()` calls would nest into each other (one's rollback undoing
 * the other's writes). SQLite allows one writer at a time anyway, so on SQLite the transactions of
 * a data source are queued; on PostgreSQL and MariaDB each gets its own pooled connection.
 */
export function runInTransaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  if (dataSource.options.type !== 'better-sqlite3') return dataSource.transaction(work);

  const previous = sqliteTransactionQueues.get(dataSource) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(() => dataSource.transaction(work));
  sqliteTransactionQueues.set(dataSource, next);
  return next;
}
