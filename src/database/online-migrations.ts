import { setTimeout as sleep } from 'node:timers/promises';
import { QueryRunner } from 'typeorm';
import { Dialect, dialectOfDataSource } from './dialect';

/**
 * Schema changes a migration can make while the app serves (README, "Migrations under traffic").
 * Raw DDL: TypeORM's createIndex/dropIndex have no CONCURRENTLY, ALGORITHM or LOCK clause, and
 * no way to see an INVALID index.
 *
 * Every change here first sets a lock timeout: a DDL statement that waits for a table lock
 * behind a long transaction makes every later request on that table queue behind it, so it waits
 * at most `lockTimeoutMs`, gives up, pauses and tries again, and after `attempts` tries fails the
 * migration with a message saying so, instead of stalling the app.
 */
export interface LockTimeoutOptions {
  /** Longest wait for one lock: PostgreSQL `lock_timeout`; MariaDB `lock_wait_timeout` (whole seconds, rounded up). */
  lockTimeoutMs?: number;
  /** Tries before the migration fails. */
  attempts?: number;
  /** Pause after the first lock timeout; it doubles after each further one. */
  retryDelayMs?: number;
}

export const LOCK_TIMEOUT_DEFAULTS: Required<LockTimeoutOptions> = {
  // Under the app's DB_ACQUIRE_TIMEOUT_MS (5 s): a request queued behind the DDL still succeeds.
  lockTimeoutMs: 2_000,
  attempts: 5,
  retryDelayMs: 1_000,
};

export interface OnlineIndex {
  name: string;
  columnNames: string[];
  isUnique?: boolean;
}

const POSTGRES_LOCK_NOT_AVAILABLE = '55P03';
const MYSQL_LOCK_WAIT_TIMEOUT = 1205;

/**
 * Builds an index on a table that may be large and in use, without blocking its writes:
 * - PostgreSQL: `CREATE INDEX CONCURRENTLY`, which cannot run in a transaction, so the migration
 *   declares `transaction = false` (allowed by migrationsTransactionMode 'each'). A build that
 *   failed earlier leaves an INVALID index of that name, which `IF NOT EXISTS` would take for
 *   done: an invalid one is dropped and built again, a valid one is kept (a rerun after the
 *   build succeeded but the migration was not recorded).
 * - MariaDB/MySQL: `ALGORITHM=INPLACE, LOCK=NONE`, which InnoDB would choose anyway; named so
 *   that a build that cannot be online fails at once instead of silently locking the table.
 * - SQLite: a plain CREATE INDEX (one writer at a time anyway).
 */
export async function createIndexOnline(
  queryRunner: QueryRunner,
  table: string,
  index: OnlineIndex,
  options: LockTimeoutOptions = {},
): Promise<void> {
  const dialect = dialectOfDataSource(queryRunner.connection);
  const escape = (name: string) => queryRunner.connection.driver.escape(name);
  const unique = index.isUnique ? 'UNIQUE ' : '';
  const columns = index.columnNames.map(escape).join(', ');

  switch (dialect) {
    case 'postgres':
      if (queryRunner.isTransactionActive) {
        throw new Error(
          `createIndexOnline(${index.name}): CREATE INDEX CONCURRENTLY cannot run inside a ` +
            'transaction; declare `transaction = false` on the migration (see README, ' +
            '"Migrations under traffic")',
        );
      }
      await withLockTimeout(
        queryRunner,
        async () => {
          const state = await postgresIndexState(queryRunner, index.name);
          if (state === 'valid') return;
          if (state === 'invalid') {
            queryRunner.connection.logger.logMigration(
              `${index.name} is INVALID (an earlier build failed): dropping and building it again`,
            );
            await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS ${escape(index.name)}`);
          }
          await queryRunner.query(
            `CREATE ${unique}INDEX CONCURRENTLY ${escape(index.name)} ON ${escape(table)} (${columns})`,
          );
        },
        options,
      );
      return;
    case 'mysql':
      await withLockTimeout(
        queryRunner,
        async () => {
          if (await mysqlIndexExists(queryRunner, table, index.name)) return;
          await queryRunner.query(
            `ALTER TABLE ${escape(table)} ADD ${unique}INDEX ${escape(index.name)} (${columns}), ` +
              'ALGORITHM=INPLACE, LOCK=NONE',
          );
        },
        options,
      );
      return;
    case 'sqlite':
      await queryRunner.query(
        `CREATE ${unique}INDEX IF NOT EXISTS ${escape(index.name)} ON ${escape(table)} (${columns})`,
      );
      return;
  }
}

/**
 * Drops an index, for the `down` of a migration that built it with createIndexOnline. On
 * PostgreSQL a plain DROP INDEX: `migration:revert` always runs `down` in a transaction, where
 * DROP INDEX CONCURRENTLY is refused (typeorm#11058, #9981), and dropping needs the table's lock
 * only for a catalog change, milliseconds; the lock timeout keeps the wait for it short. MariaDB
 * drops in place (LOCK=NONE), SQLite plainly.
 */
export async function dropIndexOnline(
  queryRunner: QueryRunner,
  table: string,
  indexName: string,
  options: LockTimeoutOptions = {},
): Promise<void> {
  const escape = (name: string) => queryRunner.connection.driver.escape(name);
  switch (dialectOfDataSource(queryRunner.connection)) {
    case 'postgres':
      await withLockTimeout(
        queryRunner,
        () => queryRunner.query(`DROP INDEX IF EXISTS ${escape(indexName)}`),
        options,
      );
      return;
    case 'mysql':
      await withLockTimeout(
        queryRunner,
        async () => {
          if (!(await mysqlIndexExists(queryRunner, table, indexName))) return;
          await queryRunner.query(
            `ALTER TABLE ${escape(table)} DROP INDEX ${escape(indexName)}, ALGORITHM=INPLACE, LOCK=NONE`,
          );
        },
        options,
      );
      return;
    case 'sqlite':
      await queryRunner.query(`DROP INDEX IF EXISTS ${escape(indexName)}`);
      return;
  }
}

/**
 * Runs `work` (DDL on a table in use: addColumn, changeColumn, ...) with a lock timeout, trying
 * again after a pause when it times out. Inside a transaction (PostgreSQL) each try is a
 * savepoint, since a lock timeout aborts the statement's transaction: the try is rolled back to
 * its savepoint and the migration's transaction goes on. SQLite has no lock timeout of its own
 * beyond the connection's busy timeout, so `work` just runs.
 */
export async function withLockTimeout<T>(
  queryRunner: QueryRunner,
  work: () => Promise<T>,
  options: LockTimeoutOptions = {},
): Promise<T> {
  const { lockTimeoutMs, attempts, retryDelayMs } = { ...LOCK_TIMEOUT_DEFAULTS, ...options };
  const dialect = dialectOfDataSource(queryRunner.connection);
  if (dialect === 'sqlite') return work();

  for (let attempt = 1; ; attempt++) {
    try {
      return await tryWithLockTimeout(queryRunner, dialect, lockTimeoutMs, work);
    } catch (error) {
      if (!isLockTimeout(error)) throw error;
      if (attempt >= attempts) {
        throw new Error(
          `gave up after ${attempts} tries, each waiting ${lockTimeoutMs} ms for a lock (a long ` +
            `transaction on the table?): ${(error as Error).message}`,
          { cause: error },
        );
      }
      const pause = retryDelayMs * 2 ** (attempt - 1);
      queryRunner.connection.logger.logMigration(
        `lock not granted within ${lockTimeoutMs} ms; try ${attempt + 1} of ${attempts} in ${pause} ms`,
      );
      await sleep(pause);
    }
  }
}

async function tryWithLockTimeout<T>(
  queryRunner: QueryRunner,
  dialect: Exclude<Dialect, 'sqlite'>,
  lockTimeoutMs: number,
  work: () => Promise<T>,
): Promise<T> {
  if (dialect === 'mysql') {
    await queryRunner.query(
      `SET SESSION lock_wait_timeout = ${Math.max(1, Math.ceil(lockTimeoutMs / 1000))}`,
    );
    try {
      return await work();
    } finally {
      await queryRunner.query('SET SESSION lock_wait_timeout = DEFAULT');
    }
  }

  if (!queryRunner.isTransactionActive) {
    await queryRunner.query(`SET lock_timeout = ${Math.ceil(lockTimeoutMs)}`);
    try {
      return await work();
    } finally {
      await queryRunner.query('RESET lock_timeout');
    }
  }

  // A savepoint; SET LOCAL lasts until the migration's transaction ends, or this try is undone.
  await queryRunner.startTransaction();
  try {
    await queryRunner.query(`SET LOCAL lock_timeout = ${Math.ceil(lockTimeoutMs)}`);
    const result = await work();
    await queryRunner.commitTransaction();
    return result;
  } catch (error) {
    await queryRunner.rollbackTransaction();
    throw error;
  }
}

function isLockTimeout(error: unknown): boolean {
  const driverError = (error as { driverError?: { code?: string; errno?: number } }).driverError;
  return (
    driverError?.code === POSTGRES_LOCK_NOT_AVAILABLE ||
    driverError?.errno === MYSQL_LOCK_WAIT_TIMEOUT
  );
}

async function postgresIndexState(
  queryRunner: QueryRunner,
  name: string,
): Promise<'absent' | 'valid' | 'invalid'> {
  const rows: { valid: boolean }[] = await queryRunner.query(
    `SELECT i.indisvalid AS valid FROM pg_index i
     JOIN pg_class c ON c.oid = i.indexrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relname = $1 AND n.nspname = current_schema()`,
    [name],
  );
  if (rows.length === 0) return 'absent';
  return rows[0].valid ? 'valid' : 'invalid';
}

async function mysqlIndexExists(
  queryRunner: QueryRunner,
  table: string,
  name: string,
): Promise<boolean> {
  const rows: unknown[] = await queryRunner.query(
    `SELECT 1 FROM information_schema.STATISTICS
     WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND INDEX_NAME = ? LIMIT 1`,
    [table, name],
  );
  return rows.length > 0;
}
