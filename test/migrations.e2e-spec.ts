import { DataSource } from 'typeorm';
import {
  createTestDatabase,
  TEST_DIALECT,
  testDataSource,
  TestDatabase,
} from './utils/test-database';
import { resolveDataSourceOptions } from '../src/database/data-source-options';

async function pendingSchemaChanges(dataSource: DataSource): Promise<string[]> {
  const sql = await dataSource.driver.createSchemaBuilder().log();
  return sql.upQueries.map((query) => query.query);
}

/** The entity tables that still exist in the database. */
async function remainingEntityTables(dataSource: DataSource): Promise<string[]> {
  const queryRunner = dataSource.createQueryRunner();
  try {
    const remaining: string[] = [];
    for (const { tableName } of dataSource.entityMetadatas) {
      if (await queryRunner.hasTable(tableName)) remaining.push(tableName);
    }
    return remaining;
  } finally {
    await queryRunner.release();
  }
}

/** The type of `posts.content` as the database itself reports it. */
async function contentColumnType(dataSource: DataSource): Promise<string> {
  switch (TEST_DIALECT) {
    case 'mysql': {
      const [column] = await dataSource.query(
        `SELECT DATA_TYPE AS type FROM information_schema.COLUMNS ` +
          `WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'posts' AND COLUMN_NAME = 'content'`,
      );
      return column.type;
    }
    case 'postgres': {
      const [column] = await dataSource.query(
        `SELECT data_type AS type FROM information_schema.columns ` +
          `WHERE table_schema = current_schema() AND table_name = 'posts' AND column_name = 'content'`,
      );
      return column.type;
    }
    case 'sqlite': {
      const columns: { name: string; type: string }[] = await dataSource.query(
        `PRAGMA table_info("posts")`,
      );
      return columns.find((column) => column.name === 'content')!.type.toLowerCase();
    }
  }
}

describe(`Migrations on ${TEST_DIALECT}`, () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await testDataSource(database.url).initialize();
  });
  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  it('run from an empty database to a schema that matches the entities exactly', async () => {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    expect(applied.length).toBe(dataSource.migrations.length);
    expect(await pendingSchemaChanges(dataSource)).toEqual([]);
    expect(await dataSource.showMigrations()).toBe(false);
  });

  it('revert one by one down to an empty schema', async () => {
    for (let remaining = dataSource.migrations.length; remaining > 0; remaining--) {
      await dataSource.undoLastMigration({ transaction: 'each' });
      const executed = await dataSource.query(
        `SELECT COUNT(*) AS n FROM ${dataSource.driver.escape('migrations')}`,
      );
      expect(Number(executed[0].n)).toBe(remaining - 1);
    }
    expect(await remainingEntityTables(dataSource)).toEqual([]);
  });

  it('run up again after a full revert, still matching the entities', async () => {
    await dataSource.runMigrations({ transaction: 'each' });
    expect(await pendingSchemaChanges(dataSource)).toEqual([]);
  });

  it('give posts.content room for 100,000 characters: mediumtext on MariaDB/MySQL, text elsewhere', async () => {
    const expected = TEST_DIALECT === 'mysql' ? 'mediumtext' : 'text';
    expect(await contentColumnType(dataSource)).toBe(expected);
    const entityColumn = dataSource.getMetadata('posts').findColumnWithPropertyName('content');
    expect(entityColumn?.type).toBe(expected);
  });

  it('never use synchronize', () => {
    expect(dataSource.options.synchronize).toBe(false);
  });
});

/**
 * Issue 14, part 5: a mysql:// URL pointed at MariaDB (the server of this machine's MariaDB runs)
 * is asked what it is, and gets TypeORM's `mariadb` type: the migrated schema then matches the
 * entities, as with mariadb://.
 */
const describeOnMariaDb = TEST_DIALECT === 'mysql' ? describe : describe.skip;
describeOnMariaDb('Migrations through a mysql:// URL on MariaDB', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    const url = database.url.replace(/^mariadb:/, 'mysql:');
    dataSource = new DataSource({
      ...(await resolveDataSourceOptions({ url, poolSize: 2 })),
      logger: undefined,
      logging: false,
    });
    await dataSource.initialize();
  });
  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  it('takes the server for MariaDB', () => {
    expect(dataSource.options.type).toBe('mariadb');
  });

  it('runs up, down to nothing and up again, the schema matching the entities each time', async () => {
    await dataSource.runMigrations({ transaction: 'each' });
    expect(await pendingSchemaChanges(dataSource)).toEqual([]);
    for (let remaining = dataSource.migrations.length; remaining > 0; remaining--) {
      await dataSource.undoLastMigration({ transaction: 'each' });
    }
    expect(await remainingEntityTables(dataSource)).toEqual([]);
    await dataSource.runMigrations({ transaction: 'each' });
    expect(await pendingSchemaChanges(dataSource)).toEqual([]);
  });
});
