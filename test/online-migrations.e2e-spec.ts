import { DataSource, QueryRunner } from 'typeorm';
import {
  createIndexOnline,
  dropIndexOnline,
  LockTimeoutOptions,
} from '../src/database/online-migrations';
import { statementsDuring } from './utils/posts';
import {
  createTestDatabase,
  TEST_DIALECT,
  testDataSource,
  TestDatabase,
} from './utils/test-database';

const USER_ID = '00000000-0000-4000-8000-000000000001';
const TITLE_INDEX = { name: 'IDX_test_posts_title', columnNames: ['title'] };

/**
 * The helpers of src/database/online-migrations.ts on a real database: the statements each
 * dialect gets, what happens to a leftover of a failed build, and the lock timeout with its
 * retries against a transaction that holds the table.
 */
describe(`Online index builds on ${TEST_DIALECT}`, () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let runner: QueryRunner;
  const escape = (name: string) => dataSource.driver.escape(name);

  async function indexNames(): Promise<string[]> {
    const table = await runner.getTable('posts');
    return table!.indices.map((index) => index.name!);
  }

  async function insertPosts(titles: string[]) {
    for (const [i, title] of titles.entries()) {
      const id = `00000000-0000-4000-a000-${String(i + 1).padStart(12, '0')}`;
      const [sql, parameters] = dataSource.driver.escapeQueryWithParameters(
        `INSERT INTO ${escape('posts')} (${['id', 'title', 'slug', 'content', 'authorId']
          .map(escape)
          .join(', ')}) VALUES (:id, :title, :slug, '', :author)`,
        { id, title, slug: `slug-${i}`, author: USER_ID },
      );
      await dataSource.query(sql, parameters);
    }
  }

  /** A transaction on another connection that holds posts until `release()` (or `holdMs`). */
  async function holdPosts(holdMs: number) {
    const blocker = dataSource.createQueryRunner();
    await blocker.startTransaction();
    // PostgreSQL: an open writer, which CREATE INDEX CONCURRENTLY waits for, and a table lock
    // DROP INDEX waits for. MariaDB: the metadata lock every ALTER TABLE waits for.
    await blocker.query(
      `UPDATE ${escape('posts')} SET ${escape('title')} = ${escape('title')} WHERE ${escape('slug')} = 'slug-0'`,
    );
    let releasedAt: number | undefined;
    const release = async () => {
      if (releasedAt !== undefined) return;
      releasedAt = Date.now();
      clearTimeout(timer);
      await blocker.commitTransaction();
      await blocker.release();
    };
    const timer = setTimeout(release, holdMs);
    return { release, releasedAt: () => releasedAt };
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await testDataSource(database.url).initialize();
    await dataSource.runMigrations();
    await dataSource.query(
      `INSERT INTO ${escape('users')} (${[
        'id',
        'email',
        'username',
        'normalizedUsername',
        'passwordHash',
      ]
        .map(escape)
        .join(', ')}) VALUES ('${USER_ID}', 'a@example.com', 'a', 'a', 'x')`,
    );
    await insertPosts(['Same title', 'Same title', 'Another']);
  });
  beforeEach(() => {
    runner = dataSource.createQueryRunner();
  });
  afterEach(async () => {
    await dropIndexOnline(runner, 'posts', TITLE_INDEX.name);
    await runner.release();
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('builds the index with the dialect’s online statement, and drops it', async () => {
    const built = await statementsDuring(dataSource, () =>
      createIndexOnline(runner, 'posts', TITLE_INDEX),
    );
    const expected = {
      postgres: /^CREATE INDEX CONCURRENTLY "IDX_test_posts_title" ON "posts" \("title"\)$/,
      mysql:
        /^ALTER TABLE `posts` ADD INDEX `IDX_test_posts_title` \(`title`\), ALGORITHM=INPLACE, LOCK=NONE$/,
      sqlite: /^CREATE INDEX IF NOT EXISTS "IDX_test_posts_title" ON "posts" \("title"\)$/,
    }[TEST_DIALECT];
    expect(built.map((statement) => statement.query)).toContainEqual(
      expect.stringMatching(expected),
    );
    if (TEST_DIALECT === 'postgres') expect(built[0].query).toBe('SET lock_timeout = 2000');
    if (TEST_DIALECT === 'mysql') expect(built[0].query).toBe('SET SESSION lock_wait_timeout = 2');
    expect(await indexNames()).toContain(TITLE_INDEX.name);

    await dropIndexOnline(runner, 'posts', TITLE_INDEX.name);
    expect(await indexNames()).not.toContain(TITLE_INDEX.name);
  });

  it('keeps a valid index of that name: a rerun after a build that was not recorded', async () => {
    await createIndexOnline(runner, 'posts', TITLE_INDEX);
    const again = await statementsDuring(dataSource, () =>
      createIndexOnline(runner, 'posts', TITLE_INDEX),
    );
    expect(again.filter(({ query }) => /INDEX CONCURRENTLY|ADD INDEX/.test(query))).toEqual([]);
    expect(await indexNames()).toContain(TITLE_INDEX.name);
  });

  const onPostgres = TEST_DIALECT === 'postgres' ? it : it.skip;
  const onServer = TEST_DIALECT === 'sqlite' ? it.skip : it;

  onPostgres('drops and rebuilds an INVALID index that a failed build left', async () => {
    // A concurrent unique build over duplicate titles fails and leaves its index INVALID.
    await expect(
      runner.query(`CREATE UNIQUE INDEX CONCURRENTLY "${TITLE_INDEX.name}" ON posts (title)`),
    ).rejects.toThrow(/could not create unique index/);
    const validity = () =>
      runner.query(`SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = $1::regclass`, [
        `"${TITLE_INDEX.name}"`,
      ]);
    expect(await validity()).toEqual([{ valid: false }]);

    const rebuilt = await statementsDuring(dataSource, () =>
      createIndexOnline(runner, 'posts', TITLE_INDEX),
    );
    expect(rebuilt.map(({ query }) => query)).toEqual(
      expect.arrayContaining([
        'DROP INDEX CONCURRENTLY IF EXISTS "IDX_test_posts_title"',
        'CREATE INDEX CONCURRENTLY "IDX_test_posts_title" ON "posts" ("title")',
      ]),
    );
    expect(await validity()).toEqual([{ valid: true }]);
  });

  onPostgres(
    'refuses to build CONCURRENTLY inside a transaction, naming transaction = false',
    async () => {
      await runner.startTransaction();
      try {
        await expect(createIndexOnline(runner, 'posts', TITLE_INDEX)).rejects.toThrow(
          'declare `transaction = false` on the migration',
        );
      } finally {
        await runner.rollbackTransaction();
      }
    },
  );

  // MariaDB's lock_wait_timeout counts whole seconds.
  const quick: LockTimeoutOptions = {
    lockTimeoutMs: TEST_DIALECT === 'mysql' ? 1_000 : 300,
    retryDelayMs: 100,
  };

  onServer(
    'waits at most the lock timeout behind a long transaction, then tries again',
    async () => {
      const blocker = await holdPosts(2_500);
      const started = Date.now();
      const built = await statementsDuring(dataSource, () =>
        createIndexOnline(runner, 'posts', TITLE_INDEX, { ...quick, attempts: 10 }),
      );
      const tries = built.filter(({ query }) =>
        /^SET (SESSION )?lock_(wait_)?timeout = \d/.test(query),
      );
      console.log(
        `index built after ${Date.now() - started} ms and ${tries.length} tries behind a ` +
          `transaction held 2500 ms (lock timeout ${quick.lockTimeoutMs} ms)`,
      );
      expect(tries.length).toBeGreaterThan(1);
      expect(blocker.releasedAt()).toBeDefined();
      expect(await indexNames()).toContain(TITLE_INDEX.name);
    },
    20_000,
  );

  onServer(
    'gives up after the last try, saying why',
    async () => {
      const blocker = await holdPosts(10_000);
      try {
        await expect(
          createIndexOnline(runner, 'posts', TITLE_INDEX, { ...quick, attempts: 2 }),
        ).rejects.toThrow(
          `gave up after 2 tries, each waiting ${quick.lockTimeoutMs} ms for a lock (a long transaction on the table?)`,
        );
      } finally {
        await blocker.release();
      }
    },
    20_000,
  );

  onServer(
    'drops inside a transaction (as migration:revert runs down) without queueing writes behind its wait',
    async () => {
      await createIndexOnline(runner, 'posts', TITLE_INDEX);
      const blocker = await holdPosts(3_000);
      await runner.startTransaction();
      const dropping = dropIndexOnline(runner, 'posts', TITLE_INDEX.name, {
        ...quick,
        attempts: 20,
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      // A write on another row: it waits behind the DROP's pending lock, at most one timeout.
      const writer = dataSource.createQueryRunner();
      const written = writer
        .query(
          `UPDATE ${escape('posts')} SET ${escape('content')} = 'edited' WHERE ${escape('slug')} = 'slug-2'`,
        )
        .then(() => Date.now())
        .finally(() => writer.release());

      await dropping;
      await runner.commitTransaction();
      const writtenAt = await written;
      expect(writtenAt).toBeLessThan(blocker.releasedAt()!);
      expect(await indexNames()).not.toContain(TITLE_INDEX.name);
      await blocker.release();
    },
    20_000,
  );
});
