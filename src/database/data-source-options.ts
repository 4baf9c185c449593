import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { assertEntityDialect, dialectOf } from './dialect';
import { mysql2WithPoolLimits } from './mysql-pool-limits';
import { postgresUtcPoolOptions } from './postgres-utc';
import { SchemaNamingStrategy } from './naming-strategy';
import { SqlLogger } from './sql-logger';

export type { Dialect } from './dialect';
export { dialectOf, dialectOfDataSource } from './dialect';

export interface DatabaseSettings {
  url: string;
  poolSize?: number;
  logging?: boolean;
  slowQueryMs?: number;
  /** How long a query waits for a pooled connection before failing (then 503). */
  acquireTimeoutMs?: number;
  /** Server-side limit for one statement (PostgreSQL and MariaDB/MySQL). */
  statementTimeoutMs?: number;
  /** A mysql:// URL's server is MariaDB (resolveDataSourceOptions asks it). */
  mariaDb?: boolean;
  /** PostgreSQL read replicas of `url` (see read-replicas.ts). */
  readUrls?: string[];
}

const DEFAULTS = { slowQueryMs: 500, acquireTimeoutMs: 5000, statementTimeoutMs: 15_000 };

const MIGRATIONS_GLOB = join(__dirname, '..', '..', 'migrations', '*.{ts,js}');
/**
 * Every `*.entity` file of the domains: the app and the migration CLI see the same entities
 * without this floor importing a domain. Each module still registers its own with forFeature.
 */
const ENTITIES_GLOB = join(__dirname, '..', '**', '*.entity.{ts,js}');

/**
 * The one place that turns configuration into TypeORM options, shared by the Nest app and by
 * ormconfig.ts (the migration CLI), so both always see the same entities and migrations.
 * `synchronize` is deliberately absent: the schema changes only through migrations. Refuses a
 * URL of another dialect than the one this process's entities are declared for (dialect.ts).
 */
export function buildDataSourceOptions(input: DatabaseSettings): DataSourceOptions {
  assertEntityDialect(input.url);
  const settings = {
    ...input,
    slowQueryMs: input.slowQueryMs ?? DEFAULTS.slowQueryMs,
    acquireTimeoutMs: input.acquireTimeoutMs ?? DEFAULTS.acquireTimeoutMs,
    statementTimeoutMs: input.statementTimeoutMs ?? DEFAULTS.statementTimeoutMs,
  };
  const common = {
    entities: [ENTITIES_GLOB],
    namingStrategy: new SchemaNamingStrategy(),
    migrations: [MIGRATIONS_GLOB],
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each' as const, // a transaction per migration: see README, Migrations
    synchronize: false,
    logger: new SqlLogger(settings.logging ?? false),
    logging: true,
    maxQueryExecutionTime: settings.slowQueryMs,
  };

  switch (dialectOf(settings.url)) {
    case 'sqlite': {
      const database = settings.url.slice('sqlite:'.length);
      if (database !== ':memory:') mkdirSync(dirname(resolve(database)), { recursive: true });
      return {
        ...common,
        type: 'better-sqlite3',
        database,
        // SQLite enforces foreign keys (and so ON DELETE CASCADE) only when asked to.
        prepareDatabase: (db: { pragma(sql: string): unknown }) => {
          db.pragma('foreign_keys = ON');
          db.pragma('journal_mode = WAL');
          db.pragma(`busy_timeout = ${settings.acquireTimeoutMs}`);
        },
      };
    }
    case 'postgres':
      return {
        ...common,
        type: 'postgres',
        ...(settings.readUrls?.length
          ? {
              // Plain reads stay on the primary by default: only the reads a GET request routes
              // through its own replica query runner go to a replica. The replicas' pools are
              // opened by ReadReplicas (read-replicas.ts), which keeps those that answer in
              // TypeORM's rotation: TypeORM would open them here, and refuse to start while one
              // of them is down.
              replication: {
                master: { url: settings.url },
                slaves: [],
                defaultMode: 'master' as const,
              },
            }
          : { url: settings.url }),
        poolSize: settings.poolSize,
        extra: {
          // `timestamp` values read and written as UTC, by this pool's clients only.
          ...postgresUtcPoolOptions(),
          options: `-c timezone=UTC -c statement_timeout=${settings.statementTimeoutMs}`,
          // node-postgres applies this to waiting for a free pooled client as well as connecting.
          connectionTimeoutMillis: settings.acquireTimeoutMs,
        },
      };
    case 'mysql':
      return {
        ...common,
        // `mariadb` enables MariaDB's own features in TypeORM (native UUID columns, RETURNING).
        type: settings.url.startsWith('mariadb:') || settings.mariaDb ? 'mariadb' : 'mysql',
        url: settings.url.replace(/^mariadb:/, 'mysql:'),
        poolSize: settings.poolSize,
        timezone: 'Z',
        charset: 'utf8mb4_unicode_ci',
        driver: mysql2WithPoolLimits(settings),
        connectTimeout: settings.acquireTimeoutMs,
      };
  }
}

/**
 * buildDataSourceOptions, after asking a mysql:// server whether it is MariaDB. TypeORM's `mysql`
 * type reads MariaDB's column metadata the MySQL way (the default of every nullable varchar, one
 * index) and sees the migrated schema differ from the entities; its `mariadb` type reads it
 * right. A mariadb:// URL says so itself; mysql:// URLs are often pointed at MariaDB.
 */
export async function resolveDataSourceOptions(
  settings: DatabaseSettings,
): Promise<DataSourceOptions> {
  if (!settings.url.startsWith('mysql:')) return buildDataSourceOptions(settings);
  const mariaDb = await isMariaDbServer(settings.url, settings.acquireTimeoutMs);
  return buildDataSourceOptions({ ...settings, mariaDb });
}

async function isMariaDbServer(url: string, connectTimeout = DEFAULTS.acquireTimeoutMs) {
  // Loaded here, for MariaDB/MySQL only (see mysql-pool-limits.ts).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mysql2 = require('mysql2/promise') as typeof import('mysql2/promise');
  const connection = await mysql2.createConnection({ uri: url, connectTimeout });
  try {
    // Raw SQL: the server's own name for itself, before any DataSource exists to ask.
    const [rows] = await connection.query<import('mysql2').RowDataPacket[]>(
      'SELECT VERSION() AS version',
    );
    return /mariadb/i.test(String(rows[0]?.version));
  } finally {
    await connection.end();
  }
}
