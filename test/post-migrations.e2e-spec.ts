import { DataSource, Table } from 'typeorm';
import { CreateUsersAndProfiles1763769600000 } from '../migrations/1763769600000-CreateUsersAndProfiles';
import { CreatePostsTagsComments1763856000000 } from '../migrations/1763856000000-CreatePostsTagsComments';
import { AddPostSlug1763942400000 } from '../migrations/1763942400000-AddPostSlug';
import { buildDataSourceOptions } from '../src/database/data-source-options';
import {
  createTestDatabase,
  TEST_DATABASE_URL,
  TEST_DIALECT,
  TestDatabase,
} from './utils/test-database';

const BEFORE_SLUGS = [CreateUsersAndProfiles1763769600000, CreatePostsTagsComments1763856000000];
const WITH_SLUGS = [...BEFORE_SLUGS, AddPostSlug1763942400000];
const USER_ID = '00000000-0000-4000-8000-000000000001';
const BULK_POSTS = 620; // more than one backfill batch (500)

/** Posts seeded before the slug exists, oldest first, with the slug each must receive. */
const SEEDED: [title: string, slug: string][] = [
  ['Hello World', 'hello-world'],
  ['Hello, World!', 'hello-world-2'],
  ['hello world', 'hello-world-3'],
  ['Hello World 2', 'hello-world-2-2'],
  ['Ünïcode Café', 'unicode-cafe'],
  ['日本語', 'post'],
  ['!!!', 'post-2'],
  ['x'.repeat(200), 'x'.repeat(200)],
];

function postId(index: number): string {
  return `00000000-0000-4000-a000-${String(index + 1).padStart(12, '0')}`;
}

/** A DataSource that knows only the given migrations, to stop the schema at a chosen point. */
function dataSourceWith(url: string, migrations: (new () => unknown)[]): DataSource {
  return new DataSource({ ...buildDataSourceOptions({ url, poolSize: 2 }), migrations });
}

/** The parts of a table's shape a migration can change, comparable with toEqual. */
async function shapeOf(dataSource: DataSource, tableName: string) {
  const runner = dataSource.createQueryRunner();
  try {
    const table = (await runner.getTable(tableName)) as Table;
    return {
      columns: table.columns
        .map(({ name, type, length, isNullable, isPrimary }) => ({
          name,
          type,
          length,
          isNullable,
          isPrimary,
        }))
        .sort((a, b) => a.name.localeCompare(b.name)),
      indices: table.indices.map((index) => index.name).sort(),
      foreignKeys: table.foreignKeys.map((key) => key.name).sort(),
    };
  } finally {
    await runner.release();
  }
}

async function insertRows(dataSource: DataSource, table: string, rows: Record<string, unknown>[]) {
  const escape = (name: string) => dataSource.driver.escape(name);
  const columns = Object.keys(rows[0]);
  const parameters: Record<string, unknown> = {};
  const values = rows.map((row, r) => {
    const placeholders = columns.map((column, c) => {
      parameters[`v${r}_${c}`] = row[column];
      return `:v${r}_${c}`;
    });
    return `(${placeholders.join(', ')})`;
  });
  const [sql, bound] = dataSource.driver.escapeQueryWithParameters(
    `INSERT INTO ${escape(table)} (${columns.map(escape).join(', ')}) VALUES ${values.join(', ')}`,
    parameters,
  );
  await dataSource.query(sql, bound);
}

function timestamp(index: number): string {
  // The same literal format is accepted by SQLite, PostgreSQL and MariaDB.
  return new Date(Date.UTC(2026, 0, 1, 0, 0, index)).toISOString().replace('T', ' ').slice(0, 23);
}

async function slugsById(dataSource: DataSource): Promise<Map<string, string>> {
  const rows: { id: string; slug: string }[] = await dataSource.query(
    `SELECT ${dataSource.driver.escape('id')} AS id, ${dataSource.driver.escape('slug')} AS slug FROM ${dataSource.driver.escape('posts')}`,
  );
  return new Map(rows.map((row) => [String(row.id).toLowerCase(), row.slug]));
}

async function count(dataSource: DataSource, table: string): Promise<number> {
  const rows = await dataSource.query(
    `SELECT COUNT(*) AS n FROM ${dataSource.driver.escape(table)}`,
  );
  return Number(rows[0].n);
}

describe(`AddPostSlug data migration on ${TEST_DIALECT}`, () => {
  let database: TestDatabase;
  let before: DataSource;
  let after: DataSource;
  let shapeBefore: Awaited<ReturnType<typeof shapeOf>>;

  beforeAll(async () => {
    database = await createTestDatabase();
    before = await dataSourceWith(database.url, BEFORE_SLUGS).initialize();
    await before.runMigrations({ transaction: 'each' });
    shapeBefore = await shapeOf(before, 'posts');

    await insertRows(before, 'users', [
      {
        id: USER_ID,
        email: 'seed@example.com',
        username: 'seed',
        normalizedUsername: 'seed',
        passwordHash: 'not-a-hash',
      },
    ]);
    const titles = [
      ...SEEDED.map(([title]) => title),
      ...Array.from({ length: BULK_POSTS }, () => 'Bulk post'),
    ];
    const posts = titles.map((title, index) => ({
      id: postId(index),
      title,
      content: '',
      published: index % 2 === 0,
      authorId: USER_ID,
      createdAt: timestamp(index),
      updatedAt: timestamp(index),
    }));
    for (let start = 0; start < posts.length; start += 200) {
      await insertRows(before, 'posts', posts.slice(start, start + 200));
    }
    await insertRows(before, 'tags', [{ id: USER_ID, name: 'kept' }]);
    await insertRows(before, 'post_tags', [{ postId: postId(0), tagId: USER_ID }]);
    await insertRows(before, 'comments', [
      { id: USER_ID, postId: postId(0), authorId: USER_ID, body: 'survives' },
    ]);

    after = await dataSourceWith(database.url, WITH_SLUGS).initialize();
  });

  afterAll(async () => {
    await before?.destroy();
    await after?.destroy();
    await database?.drop();
  });

  it('starts from a posts table without a slug', () => {
    expect(shapeBefore.columns.map((column) => column.name)).not.toContain('slug');
    expect(TEST_DATABASE_URL).toBeDefined();
  });

  it('backfills every slug from the title, the oldest post keeping the bare slug', async () => {
    const applied = await after.runMigrations({ transaction: 'each' });
    expect(applied.map((migration) => migration.name)).toEqual(['AddPostSlug1763942400000']);

    const slugs = await slugsById(after);
    expect(slugs.size).toBe(SEEDED.length + BULK_POSTS);
    SEEDED.forEach(([, slug], index) => expect(slugs.get(postId(index))).toBe(slug));
    for (let bulk = 0; bulk < BULK_POSTS; bulk++) {
      const expected = bulk === 0 ? 'bulk-post' : `bulk-post-${bulk + 1}`;
      expect(slugs.get(postId(SEEDED.length + bulk))).toBe(expected);
    }
  });

  it('makes the slug NOT NULL with the unique index UQ_posts_slug', async () => {
    const shape = await shapeOf(after, 'posts');
    expect(shape.columns.find((column) => column.name === 'slug')).toMatchObject({
      isNullable: false,
      length: '255',
    });
    expect(shape.indices).toContain('UQ_posts_slug');
    await expect(
      insertRows(after, 'posts', [
        {
          id: '00000000-0000-4000-b000-000000000001',
          title: 'Hello World',
          slug: 'hello-world',
          content: '',
          authorId: USER_ID,
        },
      ]),
    ).rejects.toThrow();
  });

  it('keeps the rows that reference posts (comments, tag links)', async () => {
    expect(await count(after, 'comments')).toBe(1);
    expect(await count(after, 'post_tags')).toBe(1);
  });

  it('reverts to the previous shape, keeping every row', async () => {
    await after.undoLastMigration({ transaction: 'each' });
    expect(await shapeOf(after, 'posts')).toEqual(shapeBefore);
    expect(await count(after, 'posts')).toBe(SEEDED.length + BULK_POSTS);
    expect(await count(after, 'comments')).toBe(1);
    expect(await count(after, 'post_tags')).toBe(1);
  });

  it('migrates up again after the revert', async () => {
    await after.runMigrations({ transaction: 'each' });
    const slugs = await slugsById(after);
    expect(slugs.get(postId(0))).toBe('hello-world');
    expect(new Set(slugs.values()).size).toBe(SEEDED.length + BULK_POSTS);
  });
});
