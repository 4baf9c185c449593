import { DataSource, QueryFailedError } from 'typeorm';

export type DatabaseErrorKind =
  'unique' | 'foreign-key' | 'not-null' | 'too-long' | 'invalid-value' | 'unavailable';

interface DriverError {
  code?: string;
  errno?: number;
  constraint?: string;
  message?: string;
  sqlMessage?: string;
}

const KINDS_BY_CODE: Record<string, DatabaseErrorKind> = {
  // PostgreSQL SQLSTATE
  '23505': 'unique',
  '23503': 'foreign-key',
  '23502': 'not-null',
  '22001': 'too-long',
  '22P02': 'invalid-value',
  '22007': 'invalid-value',
  '22008': 'invalid-value',
  '22021': 'invalid-value', // a NUL byte or other character text columns cannot hold
  '57P01': 'unavailable',
  '57P03': 'unavailable',
  '53300': 'unavailable',
  '57014': 'unavailable', // statement_timeout cancelled the query
  // MariaDB / MySQL
  ER_DUP_ENTRY: 'unique',
  ER_NO_REFERENCED_ROW_2: 'foreign-key',
  ER_ROW_IS_REFERENCED_2: 'foreign-key',
  ER_BAD_NULL_ERROR: 'not-null',
  ER_DATA_TOO_LONG: 'too-long',
  ER_TRUNCATED_WRONG_VALUE: 'invalid-value',
  ER_CON_COUNT_ERROR: 'unavailable',
  POOL_ACQUIRE_TIMEOUT: 'unavailable', // see mysql-pool-limits.ts
  // SQLite (better-sqlite3 extended codes)
  SQLITE_CONSTRAINT_UNIQUE: 'unique',
  SQLITE_CONSTRAINT_PRIMARYKEY: 'unique',
  SQLITE_CONSTRAINT_FOREIGNKEY: 'foreign-key',
  SQLITE_CONSTRAINT_NOTNULL: 'not-null',
  SQLITE_BUSY: 'unavailable',
  // Network-level failures reported by pg and mysql2
  ECONNREFUSED: 'unavailable',
  ECONNRESET: 'unavailable',
  ETIMEDOUT: 'unavailable',
  PROTOCOL_CONNECTION_LOST: 'unavailable',
};

/** MariaDB/MySQL errors that mysql2 reports by number only. */
const KINDS_BY_MYSQL_ERRNO: Record<number, DatabaseErrorKind> = {
  1969: 'unavailable', // ER_STATEMENT_TIMEOUT: max_statement_time exceeded
  3024: 'unavailable', // ER_QUERY_TIMEOUT: max_execution_time exceeded
};

/** Errors without a code that mean the connection (pool) is gone rather than a bad statement. */
const UNAVAILABLE_ERROR_NAMES = new Set([
  'CannotExecuteNotConnectedError',
  'ConnectionIsNotSetError',
  // TypeORM's PostgreSQL query runner releases itself when its connection emits 'error' (the
  // server ended it between two statements of a transaction); the next statement gets this.
  'QueryRunnerAlreadyReleasedError',
]);
const UNAVAILABLE_MESSAGES = [
  /database connection is not open/i, // better-sqlite3 after close
  /Cannot use a pool after calling end/i, // pg
  /Pool is closed/i, // mysql2
  /Connection terminated/i, // pg, server went away mid-query
  /timeout exceeded when trying to connect/i, // pg pool: no free client within the acquire timeout
  /Driver not Connected/i, // TypeORM postgres after destroy()
  /Connection is not established/i, // TypeORM mysql after destroy()
];

/**
 * MongoDB (the optional content store). Its server codes are numbers that could collide with the
 * SQL states above, so they are read only off errors that the Mongo driver or Mongoose raised.
 */
const MONGO_KINDS_BY_CODE: Record<number, DatabaseErrorKind> = {
  11000: 'unique',
  // The driver's retryable "server went away / stepped down" codes.
  6: 'unavailable',
  7: 'unavailable',
  89: 'unavailable',
  91: 'unavailable',
  189: 'unavailable',
  10107: 'unavailable',
  11600: 'unavailable',
  11602: 'unavailable',
  13435: 'unavailable',
};
const MONGO_UNAVAILABLE_ERROR_NAMES = new Set([
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
]);

function classifyMongoError(error: Error): DatabaseErrorKind | undefined {
  if (MONGO_UNAVAILABLE_ERROR_NAMES.has(error.name)) return 'unavailable';
  // Mongoose's own error for a command that waited for a connection that never came.
  if (error.name === 'MongooseError' && /buffering timed out/.test(error.message)) {
    return 'unavailable';
  }
  const code = (error as { code?: unknown }).code;
  return typeof code === 'number' ? MONGO_KINDS_BY_CODE[code] : undefined;
}

function driverErrorOf(error: unknown): DriverError | undefined {
  if (error instanceof QueryFailedError) return error.driverError as DriverError;
  if (error && typeof error === 'object' && 'code' in error) return error as DriverError;
  return undefined;
}

export function classifyDatabaseError(error: unknown): DatabaseErrorKind | undefined {
  if (error instanceof Error && error.name.startsWith('Mongo')) return classifyMongoError(error);
  if (error instanceof Error && UNAVAILABLE_ERROR_NAMES.has(error.name)) return 'unavailable';
  const driverError = driverErrorOf(error);
  if (driverError?.code && KINDS_BY_CODE[driverError.code]) return KINDS_BY_CODE[driverError.code];
  if (driverError?.errno && KINDS_BY_MYSQL_ERRNO[driverError.errno]) {
    return KINDS_BY_MYSQL_ERRNO[driverError.errno];
  }
  const message = driverError?.message ?? (error instanceof Error ? error.message : '');
  if (UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message))) return 'unavailable';
  return undefined;
}

export function isUniqueViolation(error: unknown): boolean {
  return classifyDatabaseError(error) === 'unique';
}

/**
 * Names the API field behind a unique violation. Unique indexes are named `UQ_<table>_<field>`
 * (see the entities), so the field is read off the index name: PostgreSQL reports the constraint,
 * MariaDB the key name, and SQLite only `table.column`, which is looked up in the entity metadata.
 */
export function uniqueViolationField(error: unknown, dataSource?: DataSource): string | undefined {
  const driverError = driverErrorOf(error);
  if (!driverError) return undefined;
  const message = driverError.sqlMessage ?? driverError.message ?? '';

  let indexName = driverError.constraint;
  indexName ??= /for key '(?:[^'.]+\.)?([^']+)'/.exec(message)?.[1];
  if (!indexName && dataSource) {
    const columns = /UNIQUE constraint failed: (.+)$/.exec(message)?.[1];
    if (columns) indexName = indexNameForColumns(dataSource, columns.split(', '));
  }
  const field = indexName ? /^UQ_[a-z_]+?s_(.+)$/.exec(indexName)?.[1] : undefined;
  return field ?? undefined;
}

function indexNameForColumns(dataSource: DataSource, qualified: string[]): string | undefined {
  const [table] = qualified[0].split('.');
  const columns = qualified.map((name) => name.split('.')[1]).sort();
  const metadata = dataSource.entityMetadatas.find((entity) => entity.tableName === table);
  const index = metadata?.indices.find(
    (candidate) =>
      candidate.isUnique &&
      candidate.columns
        .map((column) => column.databaseName)
        .sort()
        .join() === columns.join(),
  );
  return index?.name;
}
