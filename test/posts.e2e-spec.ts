import { EntitySubscriberInterface } from 'typeorm';
import { PostPages } from '../src/posts/post-pages';
import { Post } from '../src/posts/post.entity';
import { UsersService } from '../src/users/users.service';
import {
  MISSING_UUID,
  registerAdmin,
  registerAndLogin,
  RegisteredUser,
  uniqueName,
} from './utils/fixtures';
import {
  countRows,
  createPost,
  PostBody,
  PostPage,
  uniqueTag,
  walkWithCursor,
  WRITE_HEAVY_SUITE_ENV,
} from './utils/posts';
import { createTestApp, TestApp } from './utils/test-app';

const ids = (page: { items: { id: string }[] }) => page.items.map((item) => item.id);

describe('Posts (section 3)', () => {
  let t: TestApp;
  let author: RegisteredUser;
  let other: RegisteredUser;
  let admin: RegisteredUser;
  const promote = (username: string) => t.app.get(UsersService).promoteToAdmin(username);

  beforeAll(async () => {
    t = await createTestApp(WRITE_HEAVY_SUITE_ENV);
    author = await registerAndLogin(t.api);
    other = await registerAndLogin(t.api);
    admin = await registerAdmin(t.api, promote);
  });
  afterAll(() => t.close());

  describe('POST /posts', () => {
    it('creates a post whose author is the caller, answering 201 with the whole post', async () => {
      const res = await t.api
        .post('/posts')
        .set(author.auth)
        .send({ title: 'Hello, World!', content: 'First post', published: true, tags: ['intro'] })
        .expect(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        title: 'Hello, World!',
        slug: expect.stringMatching(/^hello-world-[a-z0-9]{6}$/),
        content: 'First post',
        published: true,
        publishedAt: res.body.createdAt,
        createdAt: expect.any(String),
        updatedAt: res.body.createdAt,
        author: { id: author.id, username: author.username },
        tags: [{ id: expect.any(String), name: 'intro' }],
        commentCount: 0,
      });
      expect(new Date(res.body.createdAt).toISOString()).toBe(res.body.createdAt);
      const read = await t.api.get(`/posts/${res.body.id}`).expect(200);
      expect(read.body).toEqual(res.body);
    });

    it('creates a draft with empty content by default', async () => {
      const post = await createPost(t.api, author);
      expect(post).toMatchObject({ published: false, publishedAt: null, content: '', tags: [] });
    });

    it('derives the slug from the title plus a random suffix, on every post alike', async () => {
      const title = `Ünïcode & Friends ${uniqueName('slug')}`;
      const base = title
        .toLowerCase()
        .replace('ünïcode', 'unicode')
        .replace(/[^a-z0-9]+/g, '-');
      const first = await createPost(t.api, author, { title });
      const second = await createPost(t.api, other, { title });
      const third = await createPost(t.api, author, { title: title.toUpperCase() });
      const slugs = [first.slug, second.slug, third.slug];
      for (const slug of slugs) expect(slug).toMatch(new RegExp(`^${base}-[a-z0-9]{6}$`));
      expect(new Set(slugs).size).toBe(3);
      const bySlug = await t.api.get(`/posts/by-slug/${second.slug}`).set(other.auth).expect(200);
      expect(bySlug.body.id).toBe(second.id);
    });

    it("gives a post whose title matches someone's hidden draft a slug that says nothing of it", async () => {
      const title = `Secret plans ${uniqueName('draft')}`;
      await createPost(t.api, author, { title, published: false });
      const mine = await createPost(t.api, other, { title, published: true });
      const alone = await createPost(t.api, other, {
        title: `${title} elsewhere`,
        published: true,
      });
      // The same shape whether or not another post (here a draft) has the title.
      const shape = (slug: string, base: string) =>
        slug.replace(base, '').replace(/[a-z0-9]{6}$/, 'x');
      const base = title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
      expect(shape(mine.slug, base)).toBe('-x');
      expect(shape(alone.slug, `${base}-elsewhere`)).toBe('-x');
    });

    it('gives a title without Latin letters the slug "post" with its suffix', async () => {
      const first = await createPost(t.api, author, { title: '日本語' });
      const second = await createPost(t.api, author, { title: '!!!' });
      expect(first.slug).toMatch(/^post-[a-z0-9]{6}$/);
      expect(second.slug).toMatch(/^post-[a-z0-9]{6}$/);
      expect(second.slug).not.toBe(first.slug);
    });

    it('normalises tag names, collapses duplicates and sorts tags by name', async () => {
      const suffix = uniqueTag('t');
      const post = await createPost(t.api, author, {
        tags: [
          `  Zeta  Tag ${suffix} `,
          `alpha-${suffix}`,
          `ALPHA-${suffix}`,
          `zeta tag\t${suffix}`,
        ],
      });
      expect(post.tags.map((tag) => tag.name)).toEqual([`alpha-${suffix}`, `zeta-tag-${suffix}`]);
    });

    it('reuses existing tags instead of creating new rows', async () => {
      const name = uniqueTag('shared');
      const first = await createPost(t.api, author, { tags: [name] });
      const second = await createPost(t.api, other, { tags: [name.toUpperCase()] });
      expect(second.tags[0].id).toBe(first.tags[0].id);
      expect(await countRows(t.dataSource, 'tags', 'name', name)).toBe(1);
    });

    it('accepts 10 tags and 100,000 characters of multi-byte content', async () => {
      const tags = Array.from({ length: 10 }, (_, i) => `${uniqueTag('many')}-${i}`);
      const content = '€'.repeat(100_000);
      const post = await createPost(t.api, author, { tags, content });
      expect(post.tags).toHaveLength(10);
      const read = await t.api.get(`/posts/${post.id}`).set(author.auth).expect(200);
      expect(read.body.content).toBe(content);
    });

    it.each([
      [{ tags: ['c++'] }, 'tags'],
      [{ tags: ['x'.repeat(51)] }, 'tags'],
      [{ tags: ['   '] }, 'tags'],
      [{ tags: Array.from({ length: 11 }, (_, i) => `tag-${i}`) }, 'tags'],
      [{ tags: { $gt: '' } }, 'tags'],
      [{ tags: [42] }, 'tags'],
      [{ title: '' }, 'title'],
      [{ title: '   ' }, 'title'],
      [{ title: 'x'.repeat(201) }, 'title'],
      [{ content: 'x'.repeat(100_001) }, 'content'],
      [{ content: null }, 'content'],
      [{ published: 'yes' }, 'published'],
      [{ authorId: MISSING_UUID }, 'authorId'],
    ])('rejects %j with 400 naming %s', async (body, field) => {
      const res = await t.api
        .post('/posts')
        .set(author.auth)
        .send({ title: 'Valid title', ...body })
        .expect(400);
      expect(res.body.message.some((message: string) => message.includes(field))).toBe(true);
    });

    it('rejects a body without a title', async () => {
      const res = await t.api.post('/posts').set(author.auth).send({ content: 'x' }).expect(400);
      expect(res.body.message.some((message: string) => message.startsWith('title'))).toBe(true);
    });

    it('needs a token', async () => {
      await t.api.post('/posts').send({ title: 'Anonymous' }).expect(401);
    });

    it('leaves nothing behind when the transaction fails halfway', async () => {
      // Fails the transaction once the post row is written, after its new tag was created.
      const failAfterPostInsert: EntitySubscriberInterface<Post> = {
        listenTo: () => Post,
        afterInsert: () => {
          throw new Error('simulated failure after the post was written');
        },
      };
      const title = uniqueName('Doomed');
      const tag = uniqueTag('doomed');
      t.dataSource.subscribers.push(failAfterPostInsert);
      try {
        await t.api
          .post('/posts')
          .set(author.auth)
          .send({ title, tags: [tag] })
          .expect(500);
      } finally {
        t.dataSource.subscribers.splice(t.dataSource.subscribers.indexOf(failAfterPostInsert), 1);
      }
      expect(await countRows(t.dataSource, 'posts', 'title', title)).toBe(0);
      expect(await countRows(t.dataSource, 'tags', 'name', tag)).toBe(0);
    });

    it('lets 20 concurrent posts introduce the same new tag: all succeed, one tag row', async () => {
      const tag = uniqueTag('race');
      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          t.api
            .post('/posts')
            .set(i % 2 ? author.auth : other.auth)
            .send({ title: uniqueName('Race'), tags: [tag, `${tag}-${i}`], published: true }),
        ),
      );
      expect(responses.map((res) => res.status)).toEqual(Array(20).fill(201));
      const tagIds = new Set(
        responses.map((res) => res.body.tags.find((t: { name: string }) => t.name === tag).id),
      );
      expect(tagIds.size).toBe(1);
      expect(await countRows(t.dataSource, 'tags', 'name', tag)).toBe(1);
      const [tagId] = tagIds;
      expect(await countRows(t.dataSource, 'post_tags', 'tagId', tagId as string)).toBe(20);
    });

    it('lets concurrent posts introduce several shared new tags in any order, without deadlock', async () => {
      const shared = [uniqueTag('x'), uniqueTag('y'), uniqueTag('z')];
      const orders = [
        [0, 1, 2],
        [2, 1, 0],
        [1, 2, 0],
        [0, 2, 1],
        [2, 0, 1],
      ];
      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          t.api
            .post('/posts')
            .set(i % 2 ? author.auth : other.auth)
            .send({
              title: uniqueName('Order'),
              tags: orders[i % orders.length].map((k) => shared[k]),
            }),
        ),
      );
      expect(responses.map((res) => res.status)).toEqual(Array(20).fill(201));
      for (const name of shared)
        expect(await countRows(t.dataSource, 'tags', 'name', name)).toBe(1);
    });

    it('gives concurrent posts with the same title distinct slugs', async () => {
      const title = uniqueName('Same Title');
      const responses = await Promise.all(
        Array.from({ length: 6 }, () => t.api.post('/posts').set(author.auth).send({ title })),
      );
      expect(responses.map((res) => res.status)).toEqual(Array(6).fill(201));
      const slugs = responses.map((res) => res.body.slug as string);
      expect(new Set(slugs).size).toBe(6);
      const base = title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
      for (const slug of slugs) expect(slug.startsWith(base)).toBe(true);
    });
  });

  describe('GET /posts: visibility', () => {
    let published: PostBody;
    let draft: PostBody;
    let tag: string;

    beforeAll(async () => {
      tag = uniqueTag('vis');
      published = await createPost(t.api, author, { published: true, tags: [tag] });
      draft = await createPost(t.api, author, { tags: [tag] });
    });

    it('shows anonymous callers published posts only', async () => {
      const res = await t.api.get(`/posts?tag=${tag}`).expect(200);
      expect(ids(res.body)).toEqual([published.id]);
      expect(res.body.total).toBe(1);
    });

    it('shows a caller their own drafts too', async () => {
      const res = await t.api.get(`/posts?tag=${tag}`).set(author.auth).expect(200);
      expect(ids(res.body)).toEqual([draft.id, published.id]);
    });

    it("hides other users' drafts", async () => {
      const res = await t.api.get(`/posts?tag=${tag}`).set(other.auth).expect(200);
      expect(ids(res.body)).toEqual([published.id]);
    });

    it('shows admins everything', async () => {
      const res = await t.api.get(`/posts?tag=${tag}`).set(admin.auth).expect(200);
      expect(ids(res.body)).toEqual([draft.id, published.id]);
    });

    it('answers 401 for an invalid token even though the route is public', async () => {
      await t.api.get('/posts').set('Authorization', 'Bearer nonsense').expect(401);
    });
  });

  describe('GET /posts: filters and sorting', () => {
    let writer: RegisteredUser;
    let tagA: string;
    let tagB: string;
    const posts: Record<string, PostBody> = {};

    beforeAll(async () => {
      writer = await registerAndLogin(t.api);
      tagA = uniqueTag('fa');
      tagB = uniqueTag('fb');
      posts.banana = await createPost(t.api, writer, {
        title: 'Banana bread',
        content: 'Flour, 100% bananas',
        published: true,
        tags: [tagA, tagB],
      });
      posts.apple = await createPost(t.api, writer, {
        title: 'apple pie',
        content: 'Apples and under_score',
        published: true,
        tags: [tagA],
      });
      posts.cherry = await createPost(t.api, writer, {
        title: 'Cherry tart',
        content: 'Cherries',
        tags: [tagB],
      });
    });

    const list = (query: string, auth = writer.auth) =>
      t.api.get(`/posts?authorId=${writer.id}&${query}`).set(auth).expect(200);

    it('answers the envelope, newest first by default, with nextCursor', async () => {
      const res = await list('limit=2');
      expect(res.body).toMatchObject({
        total: 3,
        skip: 0,
        limit: 2,
        nextCursor: expect.any(String),
      });
      expect(ids(res.body)).toEqual([posts.cherry.id, posts.apple.id]);
      const last = await list('limit=2&skip=2');
      expect(ids(last.body)).toEqual([posts.banana.id]);
      expect(last.body.nextCursor).toBeNull();
    });

    it('filters by a tag, and by several tags meaning all of them', async () => {
      expect(ids((await list(`tag=${tagA}`)).body)).toEqual([posts.apple.id, posts.banana.id]);
      const both = await list(`tag=${tagA}&tag=${tagB}`);
      expect(ids(both.body)).toEqual([posts.banana.id]);
      const normalised = await list(`tag=${encodeURIComponent(` ${tagB.toUpperCase()} `)}`);
      expect(ids(normalised.body)).toEqual([posts.cherry.id, posts.banana.id]);
    });

    it('searches title and content case-insensitively, matching % and _ literally', async () => {
      expect(ids((await list('search=BANANA')).body)).toEqual([posts.banana.id]);
      expect(ids((await list('search=cherries')).body)).toEqual([posts.cherry.id]);
      expect(ids((await list(`search=${encodeURIComponent('100%')}`)).body)).toEqual([
        posts.banana.id,
      ]);
      expect((await list(`search=${encodeURIComponent('0%b')}`)).body.total).toBe(0);
      expect(ids((await list('search=under_score')).body)).toEqual([posts.apple.id]);
      expect((await list('search=under_scor_')).body.total).toBe(0);
    });

    it('filters by published, combining filters with AND', async () => {
      expect(ids((await list('published=false')).body)).toEqual([posts.cherry.id]);
      expect(ids((await list(`published=true&tag=${tagB}`)).body)).toEqual([posts.banana.id]);
      expect((await list(`published=false&tag=${tagA}`)).body.total).toBe(0);
    });

    it('filters by since (inclusive) and until (exclusive) on createdAt', async () => {
      const at = posts.apple.createdAt;
      expect(ids((await list(`since=${at}`)).body)).toEqual([posts.cherry.id, posts.apple.id]);
      expect(ids((await list(`until=${at}`)).body)).toEqual([posts.banana.id]);
    });

    it('sorts by title and by createdAt in both directions', async () => {
      // Case-insensitive on every dialect: "apple pie" comes before "Banana bread".
      expect(ids((await list('sort=title')).body)).toEqual([
        posts.apple.id,
        posts.banana.id,
        posts.cherry.id,
      ]);
      expect(ids((await list('sort=-title')).body)).toEqual([
        posts.cherry.id,
        posts.banana.id,
        posts.apple.id,
      ]);
      expect(ids((await list('sort=createdAt')).body)).toEqual([
        posts.banana.id,
        posts.apple.id,
        posts.cherry.id,
      ]);
    });

    it('sorts by publishedAt with never-published posts as the latest', async () => {
      expect(ids((await list('sort=publishedAt')).body)).toEqual([
        posts.banana.id,
        posts.apple.id,
        posts.cherry.id,
      ]);
      expect(ids((await list('sort=-publishedAt')).body)).toEqual([
        posts.cherry.id,
        posts.apple.id,
        posts.banana.id,
      ]);
    });

    it.each([
      ['limit=0'],
      ['limit=101'],
      ['limit=abc'],
      ['skip=-1'],
      ['sort=content'],
      ['authorId=not-a-uuid'],
      ['published=maybe'],
      ['since=yesterday'],
      ['until=2026-13-45'],
      ['tag=c%2B%2B'],
      ['unknown=1'],
    ])('rejects %s with 400', async (query) => {
      const res = await t.api.get(`/posts?${query}`).expect(400);
      expect(Array.isArray(res.body.message)).toBe(true);
    });
  });

  describe('GET /posts: keyset pagination', () => {
    let writer: RegisteredUser;
    let tag: string;

    beforeAll(async () => {
      writer = await registerAndLogin(t.api);
      tag = uniqueTag('page');
      // Same-title pairs make ties in the title sort, broken by id.
      for (let i = 0; i < 7; i++) {
        await createPost(t.api, writer, {
          title: `Keyset ${Math.floor(i / 2)}`,
          published: i % 3 !== 0,
          tags: [tag],
        });
      }
    });

    it.each(['-createdAt', 'createdAt', 'title', '-title', 'publishedAt', '-publishedAt'])(
      'walks every post exactly once following nextCursor, sort=%s, in the offset order',
      async (sort) => {
        const path = `/posts?tag=${tag}&sort=${sort}&limit=2`;
        const pages = await walkWithCursor(t.api, path, writer.auth);
        const walked = pages.flatMap((page) => ids(page));
        const all = await t.api.get(`/posts?tag=${tag}&sort=${sort}&limit=100`).set(writer.auth);
        expect(walked).toEqual(ids(all.body));
        expect(walked).toHaveLength(7);
        expect(pages).toHaveLength(4);
        expect(pages.at(-1)!.nextCursor).toBeNull();
        for (const page of pages) expect(page.total).toBe(7);
        expect(pages[0].skip).toBe(0);
        for (const page of pages.slice(1)) expect(page.skip).toBeNull();
      },
    );

    it('continues a skip-addressed page with its nextCursor', async () => {
      const first = await t.api
        .get(`/posts?tag=${tag}&skip=1&limit=3`)
        .set(writer.auth)
        .expect(200);
      const next = await t.api
        .get(`/posts?tag=${tag}&limit=3&cursor=${encodeURIComponent(first.body.nextCursor)}`)
        .set(writer.auth)
        .expect(200);
      const all = await t.api.get(`/posts?tag=${tag}&limit=100`).set(writer.auth);
      expect([...ids(first.body), ...ids(next.body)]).toEqual(ids(all.body).slice(1, 7));
    });

    it('rejects cursor together with skip', async () => {
      const first = await t.api.get(`/posts?tag=${tag}&limit=2`).set(writer.auth).expect(200);
      const res = await t.api
        .get(`/posts?tag=${tag}&skip=0&cursor=${encodeURIComponent(first.body.nextCursor)}`)
        .expect(400);
      expect(res.body.message).toContain('cursor and skip cannot be given together');
    });

    it('rejects a tampered, a truncated and a made-up cursor with 400', async () => {
      const first = await t.api.get(`/posts?tag=${tag}&limit=2`).set(writer.auth).expect(200);
      const cursor: string = first.body.nextCursor;
      const [body, signature] = cursor.split('.');
      const position = JSON.parse(Buffer.from(body, 'base64url').toString());
      position[2] = MISSING_UUID;
      const forged = `${Buffer.from(JSON.stringify(position)).toString('base64url')}.${signature}`;
      for (const bad of [forged, body, `${cursor}x`, 'garbage', `${body}.${signature}.x`]) {
        const res = await t.api.get(`/posts?limit=2&cursor=${encodeURIComponent(bad)}`).expect(400);
        expect(res.body.message[0]).toMatch(/^cursor/);
      }
    });

    it('rejects a cursor issued for another sort', async () => {
      const first = await t.api.get(`/posts?tag=${tag}&limit=2&sort=title`).expect(200);
      const res = await t.api
        .get(
          `/posts?tag=${tag}&sort=-createdAt&cursor=${encodeURIComponent(first.body.nextCursor)}`,
        )
        .expect(400);
      expect(res.body.message[0]).toMatch(/cursor belongs to sort=title/);
    });
  });

  describe('GET /posts/:id and GET /posts/by-slug/:slug', () => {
    let published: PostBody;
    let draft: PostBody;

    beforeAll(async () => {
      published = await createPost(t.api, author, { published: true, tags: ['zz-b', 'aa-a'] });
      draft = await createPost(t.api, author);
    });

    it('answers a published post to anyone, tags sorted by name', async () => {
      const res = await t.api.get(`/posts/${published.id}`).expect(200);
      expect(res.body.tags.map((tag: { name: string }) => tag.name)).toEqual(['aa-a', 'zz-b']);
      const bySlug = await t.api.get(`/posts/by-slug/${published.slug}`).expect(200);
      expect(bySlug.body).toEqual(res.body);
    });

    it('answers a draft to its author and admins only, 404 to anyone else', async () => {
      await t.api.get(`/posts/${draft.id}`).set(author.auth).expect(200);
      await t.api.get(`/posts/${draft.id}`).set(admin.auth).expect(200);
      await t.api.get(`/posts/by-slug/${draft.slug}`).set(author.auth).expect(200);
      for (const auth of [{}, other.auth]) {
        const res = await t.api.get(`/posts/${draft.id}`).set(auth).expect(404);
        expect(res.body).toEqual({
          statusCode: 404,
          error: 'Not Found',
          message: 'post not found',
        });
        await t.api.get(`/posts/by-slug/${draft.slug}`).set(auth).expect(404);
      }
    });

    it('answers 400 for a malformed id and 404 for a missing id or slug', async () => {
      const res = await t.api.get('/posts/not-a-uuid').expect(400);
      expect(res.body.message).toBe('id must be a UUID');
      await t.api.get(`/posts/${MISSING_UUID}`).expect(404);
      await t.api.get('/posts/by-slug/no-such-slug-anywhere').expect(404);
    });

    it('counts comments', async () => {
      await t.api
        .post(`/posts/${published.id}/comments`)
        .set(other.auth)
        .send({ body: 'one' })
        .expect(201);
      await t.api
        .post(`/posts/${published.id}/comments`)
        .set(author.auth)
        .send({ body: 'two' })
        .expect(201);
      const res = await t.api.get(`/posts/${published.id}`).expect(200);
      expect(res.body.commentCount).toBe(2);
      const listed = await t.api.get(`/posts?authorId=${author.id}&limit=100`).expect(200);
      expect(listed.body.items.find((p: PostBody) => p.id === published.id).commentCount).toBe(2);
    });
  });

  describe('PATCH /posts/:id', () => {
    it('changes only the fields given and keeps the slug when the title changes', async () => {
      const post = await createPost(t.api, author, { content: 'keep me', tags: ['keep'] });
      const res = await t.api
        .patch(`/posts/${post.id}`)
        .set(author.auth)
        .send({ title: 'A completely new title' })
        .expect(200);
      expect(res.body).toMatchObject({
        title: 'A completely new title',
        slug: post.slug,
        content: 'keep me',
        tags: [{ name: 'keep' }],
      });
      expect(new Date(res.body.updatedAt).getTime()).toBeGreaterThan(
        new Date(post.updatedAt).getTime(),
      );
    });

    it('replaces the tag set', async () => {
      const post = await createPost(t.api, author, { tags: ['old-one', 'kept'] });
      const res = await t.api
        .patch(`/posts/${post.id}`)
        .set(author.auth)
        .send({ tags: ['Kept', 'new one'] })
        .expect(200);
      expect(res.body.tags.map((tag: { name: string }) => tag.name)).toEqual(['kept', 'new-one']);
      const cleared = await t.api
        .patch(`/posts/${post.id}`)
        .set(author.auth)
        .send({ tags: [] })
        .expect(200);
      expect(cleared.body.tags).toEqual([]);
    });

    it('sets publishedAt the first time a post is published and keeps it afterwards', async () => {
      const post = await createPost(t.api, author);
      const published = await t.api
        .patch(`/posts/${post.id}`)
        .set(author.auth)
        .send({ published: true })
        .expect(200);
      const firstPublishedAt = published.body.publishedAt;
      expect(firstPublishedAt).toEqual(expect.any(String));
      const unpublished = await t.api
        .patch(`/posts/${post.id}`)
        .set(author.auth)
        .send({ published: false })
        .expect(200);
      expect(unpublished.body).toMatchObject({ published: false, publishedAt: firstPublishedAt });
      const again = await t.api
        .patch(`/posts/${post.id}`)
        .set(author.auth)
        .send({ published: true })
        .expect(200);
      expect(again.body).toMatchObject({ published: true, publishedAt: firstPublishedAt });
    });

    it('rejects null and invalid values with 400', async () => {
      const post = await createPost(t.api, author);
      for (const body of [
        { title: null },
        { content: null },
        { published: null },
        { tags: null },
        { tags: ['a b c++'] },
        { slug: 'x' },
      ]) {
        await t.api.patch(`/posts/${post.id}`).set(author.auth).send(body).expect(400);
      }
    });

    it('answers 403 on a published post of someone else, 404 on their draft, 401 without token', async () => {
      const published = await createPost(t.api, author, { published: true });
      const draft = await createPost(t.api, author);
      const res = await t.api
        .patch(`/posts/${published.id}`)
        .set(other.auth)
        .send({ title: 'x' })
        .expect(403);
      expect(res.body.message).toBe('you may only change your own posts');
      await t.api.patch(`/posts/${draft.id}`).set(other.auth).send({ title: 'x' }).expect(404);
      await t.api.patch(`/posts/${MISSING_UUID}`).set(other.auth).send({ title: 'x' }).expect(404);
      await t.api.patch(`/posts/${published.id}`).send({ title: 'x' }).expect(401);
    });

    it('lets an admin change any post', async () => {
      const draft = await createPost(t.api, author);
      const res = await t.api
        .patch(`/posts/${draft.id}`)
        .set(admin.auth)
        .send({ title: 'Edited by admin' })
        .expect(200);
      expect(res.body.author.id).toBe(author.id);
    });
  });

  describe('DELETE /posts/:id', () => {
    it('deletes the post with its comments and tag links, keeping the tags', async () => {
      const tag = uniqueTag('stays');
      const post = await createPost(t.api, author, { published: true, tags: [tag] });
      await t.api
        .post(`/posts/${post.id}/comments`)
        .set(other.auth)
        .send({ body: 'bye' })
        .expect(201);
      await t.api.delete(`/posts/${post.id}`).set(author.auth).expect(204);
      await t.api.get(`/posts/${post.id}`).set(author.auth).expect(404);
      expect(await countRows(t.dataSource, 'comments', 'postId', post.id)).toBe(0);
      expect(await countRows(t.dataSource, 'post_tags', 'postId', post.id)).toBe(0);
      expect(await countRows(t.dataSource, 'tags', 'name', tag)).toBe(1);
    });

    it("answers 403 for someone else's post, 404 for a draft they cannot see or a missing one", async () => {
      const published = await createPost(t.api, author, { published: true });
      const draft = await createPost(t.api, author);
      await t.api.delete(`/posts/${published.id}`).set(other.auth).expect(403);
      await t.api.delete(`/posts/${draft.id}`).set(other.auth).expect(404);
      await t.api.delete(`/posts/${MISSING_UUID}`).set(other.auth).expect(404);
      await t.api.delete(`/posts/${published.id}`).expect(401);
      await t.api.delete('/posts/123').set(other.auth).expect(400);
      await t.api.delete(`/posts/${draft.id}`).set(admin.auth).expect(204);
    });

    it('leaves out of a page a post deleted after the page was chosen, without failing', async () => {
      const kept = await createPost(t.api, author, { published: true });
      const doomed = await createPost(t.api, author, { published: true });
      const pages = t.app.get(PostPages);
      const choose = pages.choose.bind(pages);
      // The delete lands between the page of ids and the statement that loads those posts.
      const spy = jest.spyOn(pages, 'choose').mockImplementationOnce(async (...args) => {
        const chosen = await choose(...args);
        await t.api.delete(`/posts/${doomed.id}`).set(author.auth).expect(204);
        return chosen;
      });
      try {
        const res = await t.api.get(`/users/${author.id}/posts?limit=2`).expect(200);
        expect(res.body.items.map((post: PostBody) => post.id)).toEqual([kept.id]);
      } finally {
        spy.mockRestore();
      }
    });
  });

  describe('GET /users/:id/posts', () => {
    let writer: RegisteredUser;
    let published: PostBody;
    let draft: PostBody;

    beforeAll(async () => {
      writer = await registerAndLogin(t.api);
      published = await createPost(t.api, writer, { published: true, title: 'Public one' });
      draft = await createPost(t.api, writer, { title: 'Private one' });
      await createPost(t.api, other, { published: true });
    });

    it('answers the user’s published posts to anyone, with nextCursor', async () => {
      const res = await t.api.get(`/users/${writer.id}/posts`).expect(200);
      expect(res.body).toMatchObject({ total: 1, skip: 0, limit: 20, nextCursor: null });
      expect(ids(res.body)).toEqual([published.id]);
    });

    it('adds drafts for the user themself and for admins', async () => {
      for (const auth of [writer.auth, admin.auth]) {
        const res = await t.api.get(`/users/${writer.id}/posts`).set(auth).expect(200);
        expect(ids(res.body)).toEqual([draft.id, published.id]);
      }
      const res = await t.api.get(`/users/${writer.id}/posts`).set(other.auth).expect(200);
      expect(ids(res.body)).toEqual([published.id]);
    });

    it('takes the filters and cursor of GET /posts', async () => {
      const searched = await t.api
        .get(`/users/${writer.id}/posts?search=private`)
        .set(writer.auth)
        .expect(200);
      expect(ids(searched.body)).toEqual([draft.id]);
      const pages = await walkWithCursor(t.api, `/users/${writer.id}/posts?limit=1`, writer.auth);
      expect(pages.flatMap((page: PostPage) => ids(page))).toEqual([draft.id, published.id]);
      await t.api.get(`/users/${writer.id}/posts?authorId=${other.id}`).expect(400);
    });

    it('answers an empty page for a user without posts, 404 for an unknown user, 400 for a malformed id', async () => {
      const newcomer = await registerAndLogin(t.api);
      const empty = await t.api.get(`/users/${newcomer.id}/posts`).expect(200);
      expect(empty.body).toMatchObject({ items: [], total: 0, nextCursor: null });
      const missing = await t.api.get(`/users/${MISSING_UUID}/posts`).expect(404);
      expect(missing.body.message).toBe('user not found');
      await t.api.get('/users/nope/posts').expect(400);
    });
  });

  describe('GET /users/stats/top-authors', () => {
    it('is not taken for GET /users/:id (the route is matched, not a 400 for a bad id)', async () => {
      const res = await t.api.get('/users/stats/top-authors').expect(200);
      expect(Array.isArray(res.body)).toBe(true);
    });

    it('ranks authors by published posts, with the latest publishedAt', async () => {
      const prolific = await registerAndLogin(t.api);
      const occasional = await registerAndLogin(t.api);
      let last: PostBody | undefined;
      for (let i = 0; i < 40; i++) {
        last = await createPost(t.api, prolific, { published: true });
      }
      for (let i = 0; i < 39; i++) await createPost(t.api, occasional, { published: true });
      // Drafts do not count.
      for (let i = 0; i < 5; i++) await createPost(t.api, occasional);

      const res = await t.api.get('/users/stats/top-authors?limit=2').expect(200);
      expect(res.body).toEqual([
        {
          user: { id: prolific.id, username: prolific.username },
          postCount: 40,
          lastPostAt: last!.publishedAt,
        },
        {
          user: { id: occasional.id, username: occasional.username },
          postCount: 39,
          lastPostAt: expect.any(String),
        },
      ]);
    });

    it.each(['limit=0', 'limit=101', 'limit=x', 'skip=1'])('rejects %s with 400', async (query) => {
      await t.api.get(`/users/stats/top-authors?${query}`).expect(400);
    });
  });

  describe('cascades', () => {
    it("deleting a user removes their posts and comments, and others' comments on their posts", async () => {
      const leaving = await registerAndLogin(t.api);
      const post = await createPost(t.api, leaving, { published: true, tags: ['cascade'] });
      await t.api
        .post(`/posts/${post.id}/comments`)
        .set(other.auth)
        .send({ body: 'on their post' })
        .expect(201);
      const elsewhere = await createPost(t.api, other, { published: true });
      await t.api
        .post(`/posts/${elsewhere.id}/comments`)
        .set(leaving.auth)
        .send({ body: 'theirs' })
        .expect(201);

      await t.api.delete(`/users/${leaving.id}`).set(leaving.auth).expect(204);
      expect(await countRows(t.dataSource, 'posts', 'authorId', leaving.id)).toBe(0);
      expect(await countRows(t.dataSource, 'comments', 'postId', post.id)).toBe(0);
      expect(await countRows(t.dataSource, 'comments', 'authorId', leaving.id)).toBe(0);
      expect(await countRows(t.dataSource, 'post_tags', 'postId', post.id)).toBe(0);
      await t.api.get(`/posts/${elsewhere.id}`).expect(200);
    });
  });
});

describe('Swagger for posts, comments and tags', () => {
  let t: TestApp;
  let doc: {
    paths: Record<string, Record<string, OpenApiOperation>>;
    components: { schemas: Record<string, { properties: Record<string, { example?: unknown }> }> };
  };

  interface OpenApiOperation {
    parameters?: {
      name: string;
      in: string;
      description?: string;
      schema?: { example?: unknown; default?: unknown };
    }[];
    responses: Record<string, unknown>;
  }

  beforeAll(async () => {
    t = await createTestApp();
    doc = (await t.api.get('/docs-json').expect(200)).body;
  });
  afterAll(() => t.close());

  it.each([
    ['post', '/posts', ['201', '400', '401']],
    ['get', '/posts', ['200', '400', '401']],
    ['get', '/posts/{id}', ['200', '400', '404']],
    ['get', '/posts/by-slug/{slug}', ['200', '404']],
    ['patch', '/posts/{id}', ['200', '400', '401', '403', '404']],
    ['delete', '/posts/{id}', ['204', '400', '401', '403', '404']],
    ['post', '/posts/{id}/comments', ['201', '400', '401', '404']],
    ['get', '/posts/{id}/comments', ['200', '400', '404']],
    ['delete', '/comments/{id}', ['204', '401', '403', '404']],
    ['get', '/tags', ['200', '400']],
    ['get', '/tags/{id}', ['200', '400', '404']],
    ['post', '/tags', ['201', '400', '401', '409']],
    ['patch', '/tags/{id}', ['200', '401', '403', '404', '409']],
    ['delete', '/tags/{id}', ['204', '401', '403', '404']],
    ['get', '/users/{id}/posts', ['200', '400', '404']],
    ['get', '/users/stats/top-authors', ['200', '400']],
  ])('documents %s %s with its statuses', (method, path, statuses) => {
    const operation = doc.paths[path]?.[method];
    expect(operation).toBeDefined();
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(statuses));
  });

  it.each(['/posts', '/users/{id}/posts'])(
    'documents every query parameter of %s with an example, pre-filled only where it has a default',
    (path) => {
      const query = doc.paths[path].get.parameters!.filter((parameter) => parameter.in === 'query');
      const names = query.map((parameter) => parameter.name);
      expect(names).toEqual(
        expect.arrayContaining([
          'skip',
          'limit',
          'cursor',
          'search',
          'tag',
          'published',
          'since',
          'until',
          'sort',
        ]),
      );
      // Swagger UI fills a parameter in with its example: filters (mutually exclusive like
      // cursor and skip, or narrowing) show theirs in the description instead.
      for (const parameter of query) {
        const schema = parameter.schema ?? {};
        if (schema.default !== undefined) {
          expect([parameter.name, schema.example]).toEqual([parameter.name, expect.anything()]);
        } else {
          expect([parameter.name, schema.example]).toEqual([parameter.name, undefined]);
          expect(parameter.description).toMatch(/`[^`]+`/);
        }
      }
    },
  );

  it('documents skip and limit on the comment and tag lists', () => {
    for (const path of ['/posts/{id}/comments', '/tags']) {
      const names = doc.paths[path].get.parameters!.map((parameter) => parameter.name);
      expect(names).toEqual(expect.arrayContaining(['skip', 'limit']));
    }
  });

  it.each(['PostDto', 'CommentDto', 'TagDto', 'TopAuthorDto', 'CursorPageDto', 'CreatePostDto'])(
    'gives every field of %s an example',
    (schema) => {
      const properties = Object.entries(doc.components.schemas[schema].properties);
      const withoutExample = properties
        .filter(([, property]) => property.example === undefined && !('$ref' in property))
        .filter(([name]) => !['tags', 'items'].includes(name))
        .map(([name]) => name);
      expect(withoutExample).toEqual([]);
    },
  );
});
