import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import mongoose from 'mongoose';
import { DataSource } from 'typeorm';
import { Comment } from '../src/posts/comment.entity';
import { Post } from '../src/posts/post.entity';
import { Tag } from '../src/tags/tag.entity';
import { Profile } from '../src/users/profile.entity';
import { User } from '../src/users/user.entity';
import { createTestApp, TestApp } from './utils/test-app';
import {
  createTestDatabase,
  migrateToLatest,
  TEST_DIALECT,
  testDataSource,
  TestDatabase,
} from './utils/test-database';
import { describeWithMongo, freshTestMongoUri } from './utils/test-mongo';

const run = promisify(execFile);

const ADMIN_PASSWORD = 'admin-password-for-the-seed-test';
const USER_PASSWORD = 'user-password-for-the-seed-test';
const SIZES = { users: 6, tags: 5, posts: 24, 'tags-per-post': 3, comments: 15 };

/** `npm run seed -- <args>` as an operator runs it, on the given database. */
function seed(databaseUrl: string, args: string[], env: Record<string, string> = {}) {
  return run('npx', ['ts-node', '-T', 'src/seed/seed.ts', ...args], {
    cwd: `${__dirname}/..`,
    env: { ...process.env, DATABASE_URL: databaseUrl, DB_LOGGING: 'false', ...env },
    timeout: 120_000,
  });
}

function flags(sizes: Record<string, number>, ...more: string[]): string[] {
  return [
    ...Object.entries(sizes).flatMap(([name, value]) => [`--${name}`, String(value)]),
    '--contents',
    '0',
    '--admin-password',
    ADMIN_PASSWORD,
    '--user-password',
    USER_PASSWORD,
    ...more,
  ];
}

/** The rows of `post_tags`, the join table of `Post.tags`, which has no entity to count with. */
async function countPostTags(dataSource: DataSource): Promise<number> {
  const relation = dataSource.getMetadata(Post).findRelationWithPropertyPath('tags');
  const row = await dataSource
    .createQueryBuilder()
    .select('COUNT(*)', 'count')
    .from(relation!.junctionEntityMetadata!.tableName, 'link')
    .getRawOne<{ count: number | string }>();
  return Number(row?.count);
}

async function countRows(dataSource: DataSource) {
  const [users, profiles, tags, posts, comments, postTags] = await Promise.all([
    ...[User, Profile, Tag, Post, Comment].map((entity) =>
      dataSource.getRepository(entity).count(),
    ),
    countPostTags(dataSource),
  ]);
  return { users, profiles, tags, posts, postTags, comments };
}

describe(`npm run seed on ${TEST_DIALECT}`, () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let t: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    await migrateToLatest(database.url);
    dataSource = await testDataSource(database.url).initialize();
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await dataSource?.destroy();
    await database?.drop();
  });

  it('fills an empty database with the requested sizes and prints the admin credentials', async () => {
    const { stdout, stderr } = await seed(database.url, flags(SIZES, '--seed-value', 'e2e'));

    expect(stdout).toContain(`admin (admin@example.com), password ${ADMIN_PASSWORD}`);
    expect(stdout).toContain('--seed-value e2e reproduces this data set');
    expect(`${stdout}${stderr}`).not.toContain('$argon2');
    expect(await countRows(dataSource)).toEqual({
      users: 6,
      profiles: expect.any(Number),
      tags: 5,
      posts: 24,
      postTags: 24 * 3,
      comments: 15,
    });
  }, 120_000);

  it('writes rows in the shapes the entities and the API expect', async () => {
    const users = await dataSource.getRepository(User).find();
    for (const user of users) {
      expect(user.email).toBe(user.email.toLowerCase());
      expect(user.normalizedUsername).toBe(user.username.toLowerCase());
      expect(user.username).toMatch(/^[A-Za-z0-9_.-]{3,30}$/);
    }
    const posts = await dataSource.getRepository(Post).find();
    expect(new Set(posts.map((post) => post.slug)).size).toBe(posts.length);
    for (const post of posts) {
      expect(post.publishedAt !== null).toBe(post.published);
      if (post.publishedAt) expect(post.publishedAt >= post.createdAt).toBe(true);
      expect(post.updatedAt >= post.createdAt).toBe(true);
    }
    for (const tag of await dataSource.getRepository(Tag).find()) {
      expect(tag.name).toMatch(/^[a-z0-9-]{1,50}$/);
    }
  });

  it('lets the printed admin and the demo users log in through the API, which serves the data', async () => {
    t = await createTestApp({}, { appDatabaseUrl: () => database.url });

    const login = await t.api
      .post('/auth/login')
      .send({ login: 'admin', password: ADMIN_PASSWORD })
      .expect(200);
    const admin = { Authorization: `Bearer ${login.body.accessToken}` };
    expect((await t.api.get('/auth/me').set(admin).expect(200)).body).toMatchObject({
      username: 'admin',
      role: 'admin',
    });
    // Admins see drafts too; anonymous readers the published posts only.
    expect((await t.api.get('/posts').set(admin).expect(200)).body.total).toBe(24);
    const published = await dataSource.getRepository(Post).countBy({ published: true });
    const anonymous = await t.api.get('/posts?limit=100').expect(200);
    expect(anonymous.body.total).toBe(published);
    expect(anonymous.body.items[0].tags).toHaveLength(3);
    expect((await t.api.get('/tags').expect(200)).body.total).toBe(5);

    const demoUser = await dataSource
      .getRepository(User)
      .findOneByOrFail({ role: 'user' as User['role'], isActive: true });
    await t.api
      .post('/auth/login')
      .send({ login: demoUser.username, password: USER_PASSWORD })
      .expect(200);
  }, 60_000);

  it('leaves a database that has data alone when run again without --reset', async () => {
    const before = await countRows(dataSource);
    const { stdout } = await seed(database.url, flags({ ...SIZES, posts: 3 }));

    expect(stdout).toContain('already has users or tags, nothing written');
    expect(stdout).not.toContain('password');
    expect(await countRows(dataSource)).toEqual(before);
  }, 120_000);

  it('--reset replaces everything, the same data set for the same --seed-value', async () => {
    const postIds = async () =>
      (await dataSource.getRepository(Post).find({ order: { id: 'ASC' } })).map(({ id }) => id);
    const seededIds = await postIds();
    await t.api
      .post('/users')
      .send({ email: 'not-demo@example.org', username: 'not_demo', password: USER_PASSWORD })
      .expect(201);

    await seed(database.url, flags(SIZES, '--seed-value', 'e2e', '--reset'));
    expect(await postIds()).toEqual(seededIds);
    expect(await dataSource.getRepository(User).countBy({ username: 'not_demo' })).toBe(0);

    await seed(database.url, flags({ ...SIZES, users: 3, posts: 7, comments: 2 }, '--reset'));
    expect(await countRows(dataSource)).toMatchObject({
      users: 3,
      tags: 5,
      posts: 7,
      postTags: 21,
      comments: 2,
    });
    expect(await postIds()).not.toEqual(seededIds);
  }, 180_000);

  it('rejects inconsistent sizes with the usage and exit code 2', async () => {
    await expect(
      seed(database.url, ['--tags', '2', '--tags-per-post', '3', '--posts', '5']),
    ).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--tags-per-post (3) needs at least as many --tags'),
    });
  }, 60_000);
});

describeWithMongo(`npm run seed with MONGODB_URI on ${TEST_DIALECT}`, () => {
  let database: TestDatabase;
  let mongoUri: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    await migrateToLatest(database.url);
    mongoUri = freshTestMongoUri();
  }, 60_000);
  afterAll(async () => {
    const connection = await mongoose.createConnection(mongoUri).asPromise();
    await connection.dropDatabase();
    await connection.close();
    await database.drop();
  });

  async function countContents(): Promise<number> {
    const connection = await mongoose.createConnection(mongoUri).asPromise();
    try {
      return await connection.collection('contents').countDocuments();
    } finally {
      await connection.close();
    }
  }

  it('writes content documents by the users it created, once, and again after --reset', async () => {
    const env = { MONGODB_URI: mongoUri };
    const args = [...flags(SIZES), '--contents', '12'];
    const first = await seed(database.url, args, env);
    expect(first.stdout).toContain('content: 12 documents');
    expect(await countContents()).toBe(12);

    const second = await seed(database.url, args, env);
    expect(second.stdout).toContain('contents collection already has documents');
    expect(await countContents()).toBe(12);

    await seed(database.url, [...args, '--reset'], env);
    expect(await countContents()).toBe(12);
  }, 180_000);
});
