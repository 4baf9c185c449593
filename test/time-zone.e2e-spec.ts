import { registerAndLogin, RegisteredUser } from './utils/fixtures';
import { createPost, PostBody, PostPage } from './utils/posts';
import { createTestApp, TestApp } from './utils/test-app';
import { TEST_DIALECT } from './utils/test-database';

const PROCESS_TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

/**
 * Timestamps are UTC instants whatever the time zone of the process: `.ci/run` runs this suite
 * (with the posts and users suites) on PostgreSQL under TZ=America/New_York too, where
 * node-postgres on its own would write and read `timestamp` columns in New York time.
 */
describe(`Timestamps on ${TEST_DIALECT}, process time zone ${PROCESS_TIME_ZONE}`, () => {
  let t: TestApp;
  let author: RegisteredUser;
  let post: PostBody;
  let requestedAt: { before: number; after: number };

  beforeAll(async () => {
    t = await createTestApp();
    author = await registerAndLogin(t.api);
    const before = Date.now();
    post = await createPost(t.api, author, { published: true });
    requestedAt = { before, after: Date.now() };
  });
  afterAll(() => t.close());

  it('runs in the time zone TZ names, when set', () => {
    if (process.env.TZ) expect(PROCESS_TIME_ZONE).toBe(process.env.TZ);
  });

  it('gives a new post the request time as createdAt, and reads the same instant back', async () => {
    const createdAt = new Date(post.createdAt).getTime();
    expect(createdAt).toBeGreaterThanOrEqual(requestedAt.before);
    expect(createdAt).toBeLessThanOrEqual(requestedAt.after);
    const read = await t.api.get(`/posts/${post.id}`).set(author.auth).expect(200);
    expect(read.body).toMatchObject({
      createdAt: post.createdAt,
      updatedAt: post.createdAt,
      publishedAt: post.createdAt,
    });
  });

  it('stores createdAt and publishedAt as UTC in the database', async () => {
    const column = (name: string) => {
      const escaped = t.dataSource.driver.escape(name);
      if (TEST_DIALECT === 'postgres') return `${escaped}::text`;
      return TEST_DIALECT === 'mysql' ? `CAST(${escaped} AS CHAR)` : escaped;
    };
    const placeholder = TEST_DIALECT === 'postgres' ? '$1' : '?';
    const [raw] = await t.dataSource.query(
      `SELECT ${column('createdAt')} AS "createdAt", ${column('publishedAt')} AS "publishedAt" ` +
        `FROM ${t.dataSource.driver.escape('posts')} WHERE id = ${placeholder}`,
      [post.id],
    );
    // `2026-11-21 10:05:00.123` (PostgreSQL drops trailing zeros, MariaDB shows six digits).
    const asUtc = (text: string) => new Date(`${text.replace(' ', 'T')}Z`).toISOString();
    expect(asUtc(raw.createdAt)).toBe(post.createdAt);
    expect(asUtc(raw.publishedAt)).toBe(post.publishedAt);
  });

  it('filters with since (inclusive) and until (exclusive) compared as UTC instants', async () => {
    const createdAt = new Date(post.createdAt).getTime();
    const at = (offsetMs: number) => new Date(createdAt + offsetMs).toISOString();
    const found = async (query: string) => {
      const res = await t.api
        .get(`/posts?authorId=${author.id}&${query}`)
        .set(author.auth)
        .expect(200);
      return (res.body as PostPage).items.map((item) => item.id);
    };
    expect(await found(`since=${at(0)}`)).toEqual([post.id]);
    expect(await found(`since=${at(1)}`)).toEqual([]);
    expect(await found(`until=${at(1)}`)).toEqual([post.id]);
    expect(await found(`until=${at(0)}`)).toEqual([]);
    // The same instant written with New York's offset.
    const newYork = new Date(createdAt - 5 * 3600_000).toISOString().replace('Z', '-05:00');
    expect(await found(`since=${encodeURIComponent(newYork)}`)).toEqual([post.id]);
    expect(await found(`until=${encodeURIComponent(newYork)}`)).toEqual([]);
  });
});
