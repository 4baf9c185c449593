import type * as Mysql2 from 'mysql2';

type Callback = (error: NodeJS.ErrnoException | null, connection?: Mysql2.PoolConnection) => void;

export interface PoolLimits {
  acquireTimeoutMs: number;
  statementTimeoutMs: number;
}

/**
 * mysql2 (the driver TypeORM loads for MariaDB/MySQL) has no pool acquire timeout, so a request
 * would wait for a busy pool forever, and it has no hook to initialise new connections. This wraps
 * the module TypeORM receives (`driver` option): every pooled connection gets the session
 * statement timeout, and `getConnection` fails with `POOL_ACQUIRE_TIMEOUT` after the configured wait.
 */
export function mysql2WithPoolLimits(limits: PoolLimits): typeof Mysql2 {
  // Loaded here, for MariaDB/MySQL only: on the other dialects it is ~15 MiB of unused memory.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mysql2 = require('mysql2') as typeof Mysql2;
  return {
    ...mysql2,
    createPool(config: Mysql2.PoolOptions) {
      const pool = mysql2.createPool(config);
      const statementTimeoutSeconds = limits.statementTimeoutMs / 1000;
      pool.on('connection', (connection) => {
        // Raw SQL: a session setting of each new pooled connection, which TypeORM has no API for.
        // MariaDB spells it max_statement_time (seconds), MySQL max_execution_time (ms, SELECT only).
        connection.query(`SET SESSION max_statement_time = ${statementTimeoutSeconds}`, (error) => {
          if (error)
            connection.query(`SET SESSION max_execution_time = ${limits.statementTimeoutMs}`);
        });
      });

      const getConnection = pool.getConnection.bind(pool) as (callback: Callback) => void;
      (pool as unknown as { getConnection(callback: Callback): void }).getConnection = (
        callback,
      ) => {
        let settled = false;
        const timer = setTimeout(() => {
          settled = true;
          const error: NodeJS.ErrnoException = new Error(
            `no database connection became free within ${limits.acquireTimeoutMs} ms`,
          );
          error.code = 'POOL_ACQUIRE_TIMEOUT';
          callback(error);
        }, limits.acquireTimeoutMs);
        getConnection((error, connection) => {
          if (settled) {
            connection?.release(); // the caller gave up; hand the connection back
            return;
          }
          clearTimeout(timer);
          callback(error, connection);
        });
      };
      return pool;
    },
  } as typeof mysql2;
}
