import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createConnection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions, Dialect, dialectOf } from '../../src/database/data-source-options';

/**
 * The server the e2e suites run against: `TEST_DATABASE_URL` (a PostgreSQL or MariaDB URL whose
 * user may create databases), or SQLite files when unset. Every test file gets a database of its
 * own, created empty and dropped afterwards, so suites never see each other's rows.
 */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || 'sqlite::memory:';
export const TEST_DIALECT: Dialect = dialectOf(TEST_DATABASE_URL);

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `blog_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  switch (TEST_DIALECT) {
    case 'sqlite': {
      const file = join(tmpdir(), `${name}.sqlite`);
      return {
        url: `sqlite:${file}`,
        drop: async () => {
          for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
        },
      };
    }
    case 'postgres': {
      await withPostgres(TEST_DATABASE_URL, (client) => client.query(`CREATE DATABASE "${name}"`));
      return {
        url: replaceDatabaseName(TEST_DATABASE_URL, name),
        drop: async () => {
          await withPostgres(TEST_DATABASE_URL, (client) =>
            client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
          );
        },
      };
    }
    case 'mysql': {
      await withMysql(TEST_DATABASE_URL, (sql) => sql(`CREATE DATABASE \`${name}\``));
      return {
        url: replaceDatabaseName(TEST_DATABASE_URL, name),
        drop: async () => {
          await withMysql(TEST_DATABASE_URL, (sql) => sql(`DROP DATABASE IF EXISTS \`${name}\``));
        },
      };
    }
  }
}

/** A DataSource on the given database with the app's entities and migrations. */
export function testDataSource(url: string): DataSource {
  // TypeORM's own logger with logging off: keeps migration chatter out of the test output.
  return new DataSource({
    ...buildDataSourceOptions({ url, poolSize: 4 }),
    logger: undefined,
    logging: false,
  });
}

export async function migrateToLatest(url: string): Promise<void> {
  const dataSource = await testDataSource(url).initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await dataSource.destroy();
  }
}

function replaceDatabaseName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

async function withPostgres<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function withMysql<T>(
  url: string,
  work: (sql: (statement: string) => Promise<unknown>) => Promise<T>,
): Promise<T> {
  const connection = await createConnection(url.replace(/^mariadb:/, 'mysql:'));
  try {
    return await work((statement) => connection.query(statement));
  } finally {
    await connection.end();
  }
}
