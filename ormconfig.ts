// First: the CLI reads the same .env as the app, before anything can declare the entities.
import './src/config/load-env';
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { validateDatabaseEnvironment } from './src/config/environment';
import { resolveDataSourceOptions } from './src/database/data-source-options';

/**
 * The DataSource of the TypeORM CLI (`migration:run`, `migration:revert`, `migration:show`, ...):
 * `npx typeorm ... -d dist/ormconfig.js` on the build, `typeorm-ts-node-commonjs ... -d
 * ormconfig.ts` in development. It reads and validates the database's variables only, so a
 * migration job needs nothing else, and it prints what TypeORM's CLI prints (its own console
 * loggers: coloured on a terminal, plain lines elsewhere), not the app's log lines. A Promise: with a
 * mysql:// URL the server is asked whether it is MariaDB first (see resolveDataSourceOptions).
 */
async function createCliDataSource(): Promise<DataSource> {
  const env = validateDatabaseEnvironment(process.env);
  const options = await resolveDataSourceOptions({
    url: env.DATABASE_URL,
    poolSize: env.DB_POOL_SIZE,
    slowQueryMs: env.DB_SLOW_QUERY_MS,
    acquireTimeoutMs: env.DB_ACQUIRE_TIMEOUT_MS,
    // Migrations may legitimately run long (backfills, index builds).
    statementTimeoutMs: 3_600_000,
  });
  return new DataSource({
    ...options,
    // TypeORM's coloured logger decides on colour by the environment too (CI=true turns it on
    // in a pipe); the plain one writes the same lines without any.
    logger: process.stdout.isTTY ? 'advanced-console' : 'simple-console',
    logging: [
      'schema',
      'migration',
      'error',
      'warn',
      ...(env.DB_LOGGING ? ['query' as const] : []),
    ],
  });
}

export default createCliDataSource();
