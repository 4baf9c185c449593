// First: the CLI reads the same .env as the app, before anything can declare the entities.
import './src/config/load-env';
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { validateEnvironment } from './src/config/environment';
import { buildDataSourceOptions } from './src/database/data-source-options';

const env = validateEnvironment(process.env);

export default new DataSource(
  buildDataSourceOptions({
    url: env.DATABASE_URL,
    poolSize: env.DB_POOL_SIZE,
    logging: env.DB_LOGGING,
    slowQueryMs: env.DB_SLOW_QUERY_MS,
    acquireTimeoutMs: env.DB_ACQUIRE_TIMEOUT_MS,
    // Migrations may legitimately run long (backfills, index builds).
    statementTimeoutMs: 3_600_000,
  }),
);
