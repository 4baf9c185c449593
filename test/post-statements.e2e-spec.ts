import { registerAndLogin, RegisteredUser } from './utils/fixtures';
import {
  createPost,
  PostBody,
  Statement,
  statementsDuring,
  uniqueTag,
  WRITE_HEAVY_SUITE_ENV,
} from './utils/posts';
import { createTestApp, TestApp } from './utils/test-app';
import { TEST_DIALECT } from './utils/test-database';

const POSTS = 101;
const BEGIN = /^(START TRANSACTION|BEGIN)/i;
const COMMIT = /^COMMIT/i;
const TRANSACTION_CONTROL =
  /^(START TRANSACTION|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT)/i;

function appStatements(statements: Statement[]): Statement[] {
  return statements.filter(({ query }) => !TRANSACTION_CONTROL.test(query.trim()));
}
const TAG_POOL = 110;

/**
 * The list endpoints load a page with its authors, tags and counts in a fixed number of
 * statements whatever the page size (no N+1), within the budgets of the design: GET /posts at
 * most 4, GET /posts/:id at most 3, POST /posts one transaction of at most 8. Counted through
 * the TypeORM logger: every statement the app sends but transaction control.
 */
describe(`Statements per request on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let writer: RegisteredUser;
  let commented: PostBody;
  const tags = Array.from({ length: TAG_POOL }, (_, i) => `${uniqueTag('pool')}-${i}`);

  let reader: RegisteredUser;

  /** The statements a request sends, but for transaction control (BEGIN, COMMIT, SAVEPOINT). */
  const statementsOf = async (path: string, auth: Record<string, string> = {}) =>
    appStatements(
      await statementsDuring(t.dataSource, () => t.api.get(path).set(auth).expect(200)),
    );

  beforeAll(async () => {
    t = await createTestApp(WRITE_HEAVY_SUITE_ENV);
    writer = await registerAndLogin(t.api);
    reader = await registerAndLogin(t.api);
    for (let i = 0; i < POSTS; i++) {
      await createPost(t.api, writer, {
        published: true,
        tags: [tags[i % TAG_POOL], tags[(i + 1) % TAG_POOL], tags[(i + 2) % TAG_POOL]],
      });
    }
    commented = await createPost(t.api, writer, { published: true });
    for (let i = 0; i < 100; i++) {
      await t.api
        .post(`/posts/${commented.id}/comments`)
        .set(reader.auth)
        .send({ body: `c${i}` });
    }
  });
  afterAll(() => t.close());

  it('GET /posts: at most 4 statements for 1 post and for 100, anonymous or signed in (page of ids, total, posts with authors, tags and comment counts)', async () => {
    for (const auth of [{}, reader.auth]) {
      const one = await statementsOf('/posts?skip=0&limit=1', auth);
      const hundred = await statementsOf('/posts?skip=0&limit=100', auth);
      expect(one.length).toBeLessThanOrEqual(4);
      expect(hundred).toHaveLength(one.length);
    }

    const page = await t.api.get('/posts?limit=100').expect(200);
    expect(page.body.items).toHaveLength(100);
    for (const post of page.body.items as PostBody[]) {
      expect(post.author.username).toBe(writer.username);
    }
    // The newest post is the commented one, without tags; the 99 others have 3 tags each.
    expect(page.body.items[0]).toMatchObject({ id: commented.id, commentCount: 100, tags: [] });
    expect(page.body.items.filter((post: PostBody) => post.tags.length === 3)).toHaveLength(99);
  });

  it('GET /posts: the same statements on a deep page, by offset or by cursor', async () => {
    const first = await statementsOf('/posts?skip=0&limit=20');
    expect(await statementsOf('/posts?skip=60&limit=20')).toHaveLength(first.length);
    const firstPage = await t.api.get('/posts?limit=50').expect(200);
    const next = `/posts?limit=50&cursor=${encodeURIComponent(firstPage.body.nextCursor)}`;
    expect(await statementsOf(next)).toHaveLength(first.length);
  });

  it('GET /posts: a last page that is not full needs no count; past the end, only the count', async () => {
    // 102 posts: the page of 2 after 100 is short, so its total is 100 + 2 without a COUNT.
    const lastPage = await statementsOf('/posts?skip=100&limit=20');
    expect(lastPage.filter(({ query }) => /COUNT\(1\)/.test(query))).toHaveLength(0);
    const pastTheEnd = await statementsOf('/posts?skip=100000&limit=20');
    expect(pastTheEnd).toHaveLength(2); // the empty page, then its total
    const page = await t.api.get('/posts?skip=100000&limit=20').expect(200);
    expect(page.body).toMatchObject({ items: [], total: POSTS + 1, nextCursor: null });
  });

  it('GET /posts with every filter and a signed-in caller: at most 4 for 1 post and for 100', async () => {
    // Few posts match: the page of 100 is short, and TypeORM leaves its count out.
    const path = `/posts?tag=${tags[5]}&search=post&authorId=${writer.id}&sort=-publishedAt`;
    expect((await statementsOf(`${path}&limit=1`, writer.auth)).length).toBeLessThanOrEqual(4);
    expect((await statementsOf(`${path}&limit=100`, writer.auth)).length).toBeLessThanOrEqual(4);
  });

  it('GET /users/:id/posts: at most 4 statements for 1 post and for 100', async () => {
    const one = await statementsOf(`/users/${writer.id}/posts?limit=1`);
    const hundred = await statementsOf(`/users/${writer.id}/posts?limit=100`);
    expect(one.length).toBeLessThanOrEqual(4);
    expect(hundred).toHaveLength(one.length);
  });

  it('GET /posts/:id and GET /posts/by-slug/:slug: at most 3 statements, anonymous or signed in', async () => {
    for (const auth of [{}, reader.auth]) {
      const byId = await statementsOf(`/posts/${commented.id}`, auth);
      const bySlug = await statementsOf(`/posts/by-slug/${commented.slug}`, auth);
      expect(byId.length).toBeLessThanOrEqual(3);
      expect(bySlug.length).toBeLessThanOrEqual(3);
    }
    const post = await t.api.get(`/posts/${commented.id}`).expect(200);
    expect(post.body).toMatchObject({ commentCount: 100, author: { id: writer.id } });
  });

  it('GET /tags: 2 statements for 1 tag and for 100 (grouped page with post counts, total)', async () => {
    const one = await statementsOf('/tags?limit=1&sort=-postCount');
    const hundred = await statementsOf('/tags?limit=100&sort=-postCount');
    expect(one).toHaveLength(2);
    expect(hundred).toHaveLength(2);
  });

  it('GET /posts/:id/comments: 3 statements for 1 comment and for 100 (visibility, page, total)', async () => {
    expect(await statementsOf(`/posts/${commented.id}/comments?limit=1`)).toHaveLength(3);
    expect(await statementsOf(`/posts/${commented.id}/comments?limit=100`)).toHaveLength(3);
  });

  it('GET /users/stats/top-authors: 1 grouped statement', async () => {
    expect(await statementsOf('/users/stats/top-authors?limit=100')).toHaveLength(1);
  });

  it('POST /posts with 3 tags: the token lookup, then one transaction of at most 8 statements, the same with 1 tag or 10', async () => {
    const create = async (tagNames: string[]) => {
      const statements = await statementsDuring(t.dataSource, () =>
        t.api
          .post('/posts')
          .set(writer.auth)
          .send({ title: uniqueTag('Counted'), tags: tagNames })
          .expect(201),
      );
      const begins = statements.filter(({ query }) => BEGIN.test(query));
      const commits = statements.filter(({ query }) => COMMIT.test(query));
      expect([begins.length, commits.length]).toEqual([1, 1]);
      const begin = statements.indexOf(begins[0]);
      const inTransaction = statements.slice(begin + 1, statements.indexOf(commits[0]));
      // Before the transaction only the token lookup; nothing after it.
      expect(appStatements(statements.slice(0, begin))).toHaveLength(1);
      expect(statements.indexOf(commits[0])).toBe(statements.length - 1);
      return appStatements(inTransaction);
    };
    const threeTags = await create([tags[0], uniqueTag('three'), uniqueTag('three')]);
    expect(threeTags.length).toBeLessThanOrEqual(8);
    const oneTag = await create([uniqueTag('one')]);
    const tenTags = await create([
      ...tags.slice(0, 5),
      ...Array.from({ length: 5 }, () => uniqueTag('ten')),
    ]);
    expect(oneTag).toHaveLength(threeTags.length);
    expect(tenTags).toHaveLength(threeTags.length);
  });

  it('PATCH /posts/:id with tags: the same number of statements for 1 tag and for 10', async () => {
    const post = await createPost(t.api, writer);
    const patch = (tagNames: string[]) =>
      statementsDuring(t.dataSource, () =>
        t.api.patch(`/posts/${post.id}`).set(writer.auth).send({ tags: tagNames }).expect(200),
      );
    const one = await patch([tags[0]]);
    const ten = await patch(tags.slice(0, 10));
    expect(ten).toHaveLength(one.length);
  });

  (TEST_DIALECT === 'postgres' ? it : it.skip)(
    'chooses the page of ids on an index that serves the filter and the sort (PostgreSQL plan)',
    async () => {
      const captured = await statementsOf('/posts?skip=0&limit=20');
      // The page of ids: the statement on posts alone that orders and limits.
      const page = captured.find(
        ({ query }) => / LIMIT /.test(query) && !/ JOIN /.test(query) && !/COUNT/.test(query),
      )!;
      const runner = t.dataSource.createQueryRunner();
      try {
        await runner.startTransaction();
        // A table this small is scanned or sorted whole; the question here is whether an index
        // delivers the page in order by itself (at 10,000 posts the planner picks it anyway).
        await runner.query('SET LOCAL enable_seqscan = off');
        await runner.query('SET LOCAL enable_sort = off');
        const plan: { 'QUERY PLAN': string }[] = await runner.query(
          `EXPLAIN ${page.query}`,
          page.parameters,
        );
        const text = plan.map((line) => line['QUERY PLAN']).join('\n');
        expect(text).toMatch(
          /Index (Only )?Scan Backward using "IDX_posts_published_createdAt_id"/,
        );
      } finally {
        if (runner.isTransactionActive) await runner.rollbackTransaction();
        await runner.release();
      }
    },
  );
});
