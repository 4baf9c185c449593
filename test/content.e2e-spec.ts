import { getConnectionToken, getModelToken } from '@nestjs/mongoose';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Connection, Model, Types } from 'mongoose';
import { Content, MAX_COMMENTS_PER_CONTENT } from '../src/content/content.schema';
import { UsersService } from '../src/users/users.service';
import { FREE_FORM_METADATA } from './utils/content-samples';
import { registerAdmin, registerAndLogin, RegisteredUser } from './utils/fixtures';
import { createTestApp, TestApp } from './utils/test-app';
import {
  describeWithMongo,
  EMULATOR_GAPS,
  emulatorGap,
  freshTestMongoUri,
} from './utils/test-mongo';

interface ContentBody {
  id: string;
  title: string;
  body: string;
  status: string;
  authorId: string;
  tags: string[];
  metadata: Record<string, unknown>;
  comments: { id: string; authorId: string; body: string; createdAt: string }[];
  createdAt: string;
  updatedAt: string;
}

const MISSING_ID = '000000000000000000000000';
const ISO_DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** A tag (and text token) no other test uses, so each test reads only its own documents. */
function uniqueTag(prefix = 't'): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeWithMongo('Content (section 4) on MongoDB', () => {
  let t: TestApp;
  let contents: Model<Content>;
  let alice: RegisteredUser;
  let bob: RegisteredUser;
  let admin: RegisteredUser;

  beforeAll(async () => {
    t = await createTestApp({ MONGODB_URI: freshTestMongoUri() });
    await t.app.get<Connection>(getConnectionToken()).asPromise();
    contents = t.app.get<Model<Content>>(getModelToken(Content.name));
    // The collection and its indexes (the text index above all) exist before the first query.
    await contents.init();
    alice = await registerAndLogin(t.api);
    bob = await registerAndLogin(t.api);
    admin = await registerAdmin(t.api, (name) => t.app.get(UsersService).promoteToAdmin(name));
  });
  afterAll(async () => {
    if (!t) return;
    await t.app.get<Connection>(getConnectionToken()).dropDatabase();
    await t.close();
  });

  async function create(user: RegisteredUser, body: Record<string, unknown>): Promise<ContentBody> {
    return (await t.api.post('/content').set(user.auth).send(body).expect(201)).body;
  }

  function comment(user: RegisteredUser, contentId: string, body: unknown) {
    return t.api.post(`/content/${contentId}/comments`).set(user.auth).send({ body });
  }

  function ids(page: { items: ContentBody[] }): string[] {
    return page.items.map((item) => item.id);
  }

  describe('storage', () => {
    it('keeps documents in the contents collection with the compound and multikey indexes', async () => {
      expect(contents.collection.collectionName).toBe('contents');
      const keys = (await contents.collection.indexes()).map((index) => index.key);
      expect(keys).toEqual(
        expect.arrayContaining([
          { authorId: 1, createdAt: -1 },
          { tags: 1 },
          { status: 1, createdAt: -1 },
        ]),
      );
    });

    emulatorGap(
      EMULATOR_GAPS.textIndexListing,
      'has the text index on title and body, a title hit weighing 3 times a body hit',
      async () => {
        const text = (await contents.collection.indexes()).find(
          (index) => index.name === 'contents_text',
        );
        expect(text?.key).toEqual({ _fts: 'text', _ftsx: 1 });
        expect(text?.weights).toEqual({ title: 3, body: 1 });
      },
    );
  });

  describe('POST /content', () => {
    it('creates a document for the caller with the defaults and answers 201', async () => {
      const before = Date.now();
      const created = await create(alice, { title: 'First document' });
      expect(created).toEqual({
        id: expect.stringMatching(/^[0-9a-f]{24}$/),
        title: 'First document',
        body: '',
        status: 'draft',
        authorId: alice.id,
        tags: [],
        metadata: {},
        comments: [],
        createdAt: expect.stringMatching(ISO_DATE),
        updatedAt: created.createdAt,
      });
      expect(new Date(created.createdAt).getTime()).toBeGreaterThanOrEqual(before - 1000);
      const stored = await contents.findById(created.id).lean();
      expect(stored).toMatchObject({ title: 'First document', authorId: alice.id, metadata: {} });
    });

    it('normalises tags: trimmed, lower-cased, whitespace to "-", duplicates collapsed', async () => {
      const created = await create(alice, {
        title: 'Tags',
        tags: ['  Schema   Design ', 'schema design', 'MongoDB'],
      });
      expect(created.tags).toEqual(['schema-design', 'mongodb']);
    });

    it('stores free-form metadata as given and gives it back unchanged', async () => {
      const metadata = FREE_FORM_METADATA;
      const created = await create(alice, { title: 'Metadata', status: 'published', metadata });
      expect(created.metadata).toEqual(metadata);
      const read = await t.api.get(`/content/${created.id}`).expect(200);
      expect(read.body.metadata).toEqual(metadata);
    });

    it('takes every editable field', async () => {
      const created = await create(bob, {
        title: 'Complete',
        body: 'Body text',
        status: 'archived',
        tags: ['a'],
        metadata: { a: 1 },
      });
      expect(created).toMatchObject({
        title: 'Complete',
        body: 'Body text',
        status: 'archived',
        tags: ['a'],
        metadata: { a: 1 },
        authorId: bob.id,
      });
    });

    it('needs a token', async () => {
      await t.api.post('/content').send({ title: 'x' }).expect(401);
    });

    it('writes nothing for a rejected body', async () => {
      const tag = uniqueTag();
      await t.api
        .post('/content')
        .set(alice.auth)
        .send({ title: 'x', tags: [tag], metadata: { $where: 'x' } })
        .expect(400);
      expect(await contents.countDocuments({ tags: tag })).toBe(0);
    });
  });

  describe('POST /content/bulk', () => {
    it('creates every item in one insertMany and answers 201 { created, ids } in order', async () => {
      const tag = uniqueTag();
      const res = await t.api
        .post('/content/bulk')
        .set(alice.auth)
        .send([
          { title: 'Bulk one', tags: [tag] },
          { title: 'Bulk two', tags: [tag], status: 'published' },
          { title: 'Bulk three', tags: [tag], metadata: { n: 3 } },
        ])
        .expect(201);
      expect(res.body).toEqual({
        created: 3,
        ids: [expect.stringMatching(/^[0-9a-f]{24}$/), expect.any(String), expect.any(String)],
      });
      const titles = [];
      for (const id of res.body.ids) {
        const doc = (await t.api.get(`/content/${id}`).set(alice.auth).expect(200)).body;
        expect(doc.authorId).toBe(alice.id);
        expect(doc.createdAt).toMatch(ISO_DATE);
        titles.push(doc.title);
      }
      expect(titles).toEqual(['Bulk one', 'Bulk two', 'Bulk three']);
    });

    it('creates nothing when one item is invalid, and names its index', async () => {
      const tag = uniqueTag();
      const res = await t.api
        .post('/content/bulk')
        .set(alice.auth)
        .send([
          { title: 'ok', tags: [tag] },
          { title: 'ok', tags: [tag] },
          { title: '', tags: [tag] },
        ])
        .expect(400);
      expect(res.body.message).toEqual(['[2] title must be longer than or equal to 1 characters']);
      expect(await contents.countDocuments({ tags: tag })).toBe(0);
    });

    it('accepts 500 items', async () => {
      const tag = uniqueTag();
      const items = Array.from({ length: 500 }, (_, index) => ({
        title: `n${index}`,
        tags: [tag],
      }));
      const res = await t.api.post('/content/bulk').set(bob.auth).send(items).expect(201);
      expect(res.body.created).toBe(500);
      expect(new Set(res.body.ids).size).toBe(500);
      expect(await contents.countDocuments({ tags: tag, authorId: bob.id })).toBe(500);
    });

    it('needs a token', async () => {
      await t.api
        .post('/content/bulk')
        .send([{ title: 'x' }])
        .expect(401);
    });
  });

  describe('GET /content', () => {
    const tag = uniqueTag('list');
    let alicePublished: ContentBody;
    let aliceDraft: ContentBody;
    let bobPublished: ContentBody;
    let bobArchived: ContentBody;
    let bobDraft: ContentBody;

    beforeAll(async () => {
      alicePublished = await create(alice, {
        title: 'Alpha Centauri',
        body: 'stars',
        status: 'published',
        tags: [tag, 'space'],
      });
      await sleep(5);
      aliceDraft = await create(alice, { title: 'Alpha draft', tags: [tag] });
      await sleep(5);
      bobPublished = await create(bob, {
        title: 'Beta',
        body: 'ALPHA inside',
        status: 'published',
        tags: [tag],
      });
      await sleep(5);
      bobArchived = await create(bob, { title: 'Gamma', status: 'archived', tags: [tag, 'space'] });
      await sleep(5);
      bobDraft = await create(bob, { title: 'Delta draft', tags: [tag] });
    });

    it('answers the page envelope, newest first', async () => {
      const res = await t.api.get(`/content?tag=${tag}`).set(admin.auth).expect(200);
      expect(res.body).toMatchObject({ total: 5, skip: 0, limit: 20 });
      expect(ids(res.body)).toEqual([
        bobDraft.id,
        bobArchived.id,
        bobPublished.id,
        aliceDraft.id,
        alicePublished.id,
      ]);
      expect(res.body.items[4]).toEqual(alicePublished);
    });

    it('pages with skip and limit, the total counting every match', async () => {
      const res = await t.api.get(`/content?tag=${tag}&skip=1&limit=2`).set(admin.auth).expect(200);
      expect(res.body).toMatchObject({ total: 5, skip: 1, limit: 2 });
      expect(ids(res.body)).toEqual([bobArchived.id, bobPublished.id]);
    });

    it('hides every draft from anonymous callers, archived documents stay visible', async () => {
      const res = await t.api.get(`/content?tag=${tag}`).expect(200);
      expect(ids(res.body)).toEqual([bobArchived.id, bobPublished.id, alicePublished.id]);
      expect(res.body.total).toBe(3);
    });

    it("shows a user their own drafts but not other people's", async () => {
      const res = await t.api.get(`/content?tag=${tag}`).set(alice.auth).expect(200);
      expect(ids(res.body)).toEqual([
        bobArchived.id,
        bobPublished.id,
        aliceDraft.id,
        alicePublished.id,
      ]);
    });

    it('shows a draft filter only the caller own drafts, and admins all of them', async () => {
      const mine = await t.api.get(`/content?tag=${tag}&status=draft`).set(alice.auth).expect(200);
      expect(ids(mine.body)).toEqual([aliceDraft.id]);
      const anonymous = await t.api.get(`/content?tag=${tag}&status=draft`).expect(200);
      expect(anonymous.body.total).toBe(0);
      const all = await t.api.get(`/content?tag=${tag}&status=draft`).set(admin.auth).expect(200);
      expect(ids(all.body)).toEqual([bobDraft.id, aliceDraft.id]);
    });

    it('filters by authorId and status', async () => {
      const byBob = await t.api.get(`/content?tag=${tag}&authorId=${bob.id}`).expect(200);
      expect(ids(byBob.body)).toEqual([bobArchived.id, bobPublished.id]);
      const archived = await t.api.get(`/content?tag=${tag}&status=archived`).expect(200);
      expect(ids(archived.body)).toEqual([bobArchived.id]);
    });

    it('filters by tag, repeated tags meaning all of them, normalised like stored tags', async () => {
      const both = await t.api.get(`/content?tag=${tag}&tag=SPACE`).expect(200);
      expect(ids(both.body)).toEqual([bobArchived.id, alicePublished.id]);
      const none = await t.api.get(`/content?tag=${tag}&tag=${uniqueTag()}`).expect(200);
      expect(none.body).toMatchObject({ items: [], total: 0 });
    });

    it('searches title and body case-insensitively with search', async () => {
      const res = await t.api.get(`/content?tag=${tag}&search=alpha`).set(alice.auth).expect(200);
      expect(ids(res.body)).toEqual([bobPublished.id, aliceDraft.id, alicePublished.id]);
    });

    it('matches regex characters in search literally', async () => {
      const literal = uniqueTag();
      const priced = await create(alice, {
        title: 'Costs (1+1)*2 $ [x]',
        status: 'published',
        tags: [literal],
      });
      await create(alice, { title: 'Costs 11112', status: 'published', tags: [literal] });
      const exact = await t.api
        .get(`/content?tag=${literal}&search=${encodeURIComponent('(1+1)*2 $ [x]')}`)
        .expect(200);
      expect(ids(exact.body)).toEqual([priced.id]);
      const wildcard = await t.api
        .get(`/content?tag=${literal}&search=${encodeURIComponent('.*')}`)
        .expect(200);
      expect(wildcard.body.total).toBe(0);
    });

    emulatorGap(
      EMULATOR_GAPS.textSearch,
      'searches full text with q, ranked by relevance (title above body)',
      async () => {
        const word = randomBytes(6).toString('hex').replace(/\d/g, 'q');
        const inBody = await create(alice, {
          title: 'Unrelated',
          body: `mentions ${word} once`,
          status: 'published',
        });
        await sleep(5);
        const elsewhere = await create(alice, {
          title: 'Other',
          body: 'nothing',
          status: 'published',
        });
        const inTitle = await create(alice, { title: `All about ${word}`, status: 'published' });
        const res = await t.api.get(`/content?q=${word}`).expect(200);
        expect(ids(res.body)).toEqual([inTitle.id, inBody.id]);
        expect(ids(res.body)).not.toContain(elsewhere.id);
        expect(res.body.total).toBe(2);
        expect(res.body.items[0]).not.toHaveProperty('score');
      },
    );

    emulatorGap(
      EMULATOR_GAPS.textSearch,
      'combines q with the other filters and the draft rule',
      async () => {
        const word = randomBytes(6).toString('hex').replace(/\d/g, 'z');
        const draft = await create(bob, { title: word });
        const published = await create(bob, { title: word, status: 'published' });
        const anonymous = await t.api.get(`/content?q=${word}`).expect(200);
        expect(ids(anonymous.body)).toEqual([published.id]);
        const owner = await t.api.get(`/content?q=${word}&status=draft`).set(bob.auth).expect(200);
        expect(ids(owner.body)).toEqual([draft.id]);
      },
    );

    it('answers 401 to an invalid token', async () => {
      await t.api.get('/content').set('Authorization', 'Bearer nonsense').expect(401);
    });
  });

  describe('GET /content/stats', () => {
    type Stats = {
      byStatus: { status: string; count: number }[];
      topTags: { tag: string; count: number }[];
    };
    const statusCount = (stats: Stats, status: string) =>
      stats.byStatus.find((entry) => entry.status === status)?.count ?? 0;

    it('counts by status and lists the top tags, over what the caller may see', async () => {
      const before: Stats = (await t.api.get('/content/stats?tagLimit=100').expect(200)).body;
      const mineBefore: Stats = (
        await t.api.get('/content/stats?tagLimit=100').set(alice.auth).expect(200)
      ).body;
      const tag = uniqueTag('stats');
      for (let copy = 0; copy < 6; copy++) {
        await create(alice, { title: `p${copy}`, status: 'published', tags: [tag] });
      }
      await create(alice, { title: 'a', status: 'archived', tags: [tag] });
      await create(alice, { title: 'd', status: 'draft', tags: [tag] });

      const after: Stats = (await t.api.get('/content/stats?tagLimit=100').expect(200)).body;
      expect(statusCount(after, 'published') - statusCount(before, 'published')).toBe(6);
      expect(statusCount(after, 'archived') - statusCount(before, 'archived')).toBe(1);
      expect(after.byStatus.map((entry) => entry.status)).not.toContain('draft');
      expect(after.topTags).toContainEqual({ tag, count: 7 });

      const mine: Stats = (
        await t.api.get('/content/stats?tagLimit=100').set(alice.auth).expect(200)
      ).body;
      expect(statusCount(mine, 'draft') - statusCount(mineBefore, 'draft')).toBe(1);
      expect(mine.topTags).toContainEqual({ tag, count: 8 });
    });

    it('sorts statuses by name and tags by count, most used first', async () => {
      const stats: Stats = (
        await t.api.get('/content/stats?tagLimit=100').set(admin.auth).expect(200)
      ).body;
      const statuses = stats.byStatus.map((entry) => entry.status);
      expect(statuses).toEqual([...statuses].sort());
      const counts = stats.topTags.map((entry) => entry.count);
      expect(counts).toEqual([...counts].sort((a, b) => b - a));
      for (const entry of [...stats.byStatus, ...stats.topTags]) {
        expect(Object.keys(entry).sort()).toEqual(expect.arrayContaining(['count']));
        expect(entry).not.toHaveProperty('_id');
      }
    });

    it('lists 10 tags by default and tagLimit of them when given', async () => {
      const defaults: Stats = (await t.api.get('/content/stats').expect(200)).body;
      expect(defaults.topTags.length).toBeLessThanOrEqual(10);
      const one: Stats = (await t.api.get('/content/stats?tagLimit=1').expect(200)).body;
      expect(one.topTags).toHaveLength(1);
    });
  });

  describe('GET /content/:id', () => {
    it('answers the document', async () => {
      const created = await create(alice, { title: 'Readable', status: 'published' });
      const res = await t.api.get(`/content/${created.id}`).expect(200);
      expect(res.body).toEqual(created);
    });

    it('answers 404 for a well-formed id that does not exist', async () => {
      const res = await t.api.get(`/content/${MISSING_ID}`).expect(404);
      expect(res.body).toEqual({
        statusCode: 404,
        error: 'Not Found',
        message: 'content not found',
      });
    });

    it('finds a draft only for its author and admins (404 for anyone else)', async () => {
      const draft = await create(alice, { title: 'Secret draft' });
      await t.api.get(`/content/${draft.id}`).expect(404);
      await t.api.get(`/content/${draft.id}`).set(bob.auth).expect(404);
      await t.api.get(`/content/${draft.id}`).set(alice.auth).expect(200);
      await t.api.get(`/content/${draft.id}`).set(admin.auth).expect(200);
    });

    it('accepts an upper-case id', async () => {
      const created = await create(alice, { title: 'Upper', status: 'published' });
      await t.api.get(`/content/${created.id.toUpperCase()}`).expect(200);
    });
  });

  describe('PATCH /content/:id', () => {
    it('$sets only the fields given; updatedAt moves on, createdAt stays', async () => {
      const created = await create(alice, {
        title: 'Before',
        body: 'kept',
        tags: ['kept'],
        metadata: { kept: true },
      });
      await sleep(10);
      const res = await t.api
        .patch(`/content/${created.id}`)
        .set(alice.auth)
        .send({ title: 'After', status: 'published' })
        .expect(200);
      expect(res.body).toMatchObject({
        id: created.id,
        title: 'After',
        status: 'published',
        body: 'kept',
        tags: ['kept'],
        metadata: { kept: true },
        authorId: alice.id,
        createdAt: created.createdAt,
      });
      expect(new Date(res.body.updatedAt).getTime()).toBeGreaterThan(
        new Date(created.updatedAt).getTime(),
      );
      expect((await t.api.get(`/content/${created.id}`).expect(200)).body).toEqual(res.body);
    });

    it('normalises tags and replaces metadata as a whole', async () => {
      const created = await create(alice, { title: 'x', metadata: { a: 1, b: { c: 2 } } });
      const res = await t.api
        .patch(`/content/${created.id}`)
        .set(alice.auth)
        .send({ tags: ['New Tag', 'new tag'], metadata: { b: { d: 3 } } })
        .expect(200);
      expect(res.body.tags).toEqual(['new-tag']);
      expect(res.body.metadata).toEqual({ b: { d: 3 } });
    });

    it('changes nothing, not even updatedAt, for an empty body', async () => {
      const created = await create(alice, { title: 'Same' });
      await sleep(5);
      const res = await t.api.patch(`/content/${created.id}`).set(alice.auth).send({}).expect(200);
      expect(res.body).toEqual(created);
    });

    it('answers 403 to another user and changes nothing; an admin may change it', async () => {
      const created = await create(alice, { title: 'Mine', status: 'published' });
      const res = await t.api
        .patch(`/content/${created.id}`)
        .set(bob.auth)
        .send({ title: 'Theirs' })
        .expect(403);
      expect(res.body).toEqual({
        statusCode: 403,
        error: 'Forbidden',
        message: 'you may only change your own content',
      });
      expect((await t.api.get(`/content/${created.id}`).expect(200)).body.title).toBe('Mine');
      const byAdmin = await t.api
        .patch(`/content/${created.id}`)
        .set(admin.auth)
        .send({ title: 'Moderated' })
        .expect(200);
      expect(byAdmin.body).toMatchObject({ title: 'Moderated', authorId: alice.id });
    });

    it("answers 404 for a missing id and for someone else's draft", async () => {
      await t.api.patch(`/content/${MISSING_ID}`).set(alice.auth).send({ title: 'x' }).expect(404);
      const draft = await create(alice, { title: 'Hidden' });
      await t.api.patch(`/content/${draft.id}`).set(bob.auth).send({ title: 'x' }).expect(404);
    });

    it('rejects a non-editable field and changes nothing', async () => {
      const created = await create(alice, { title: 'Guarded' });
      await t.api
        .patch(`/content/${created.id}`)
        .set(alice.auth)
        .send({ authorId: bob.id })
        .expect(400);
      expect(
        (await t.api.get(`/content/${created.id}`).set(alice.auth).expect(200)).body.authorId,
      ).toBe(alice.id);
    });

    it('needs a token', async () => {
      const created = await create(alice, { title: 'x', status: 'published' });
      await t.api.patch(`/content/${created.id}`).send({ title: 'y' }).expect(401);
    });
  });

  describe('PUT /content/:id', () => {
    it('replaces every editable field, absent ones back to their defaults; author, comments and createdAt stay', async () => {
      const created = await create(alice, {
        title: 'Old',
        body: 'old body',
        status: 'published',
        tags: ['old'],
        metadata: { old: true },
      });
      await comment(bob, created.id, 'first!').expect(201);
      await sleep(10);
      const res = await t.api
        .put(`/content/${created.id}`)
        .set(alice.auth)
        .send({ title: 'New' })
        .expect(200);
      expect(res.body).toMatchObject({
        id: created.id,
        title: 'New',
        body: '',
        status: 'draft',
        tags: [],
        metadata: {},
        authorId: alice.id,
        createdAt: created.createdAt,
        comments: [expect.objectContaining({ body: 'first!', authorId: bob.id })],
      });
      expect(new Date(res.body.updatedAt).getTime()).toBeGreaterThan(
        new Date(created.updatedAt).getTime(),
      );
    });

    it('takes all editable fields at once', async () => {
      const created = await create(alice, { title: 'Old' });
      const replacement = {
        title: 'Whole',
        body: 'b',
        status: 'archived',
        tags: ['x', 'y'],
        metadata: { z: [1] },
      };
      const res = await t.api
        .put(`/content/${created.id}`)
        .set(alice.auth)
        .send(replacement)
        .expect(200);
      expect(res.body).toMatchObject(replacement);
    });

    it('answers 400 for a missing title or any other field', async () => {
      const created = await create(alice, { title: 'Old' });
      await t.api.put(`/content/${created.id}`).set(alice.auth).send({ body: 'b' }).expect(400);
      await t.api
        .put(`/content/${created.id}`)
        .set(alice.auth)
        .send({ title: 't', comments: [] })
        .expect(400);
    });

    it('answers 403 to another user, 404 for a missing id, 401 without a token; admins may', async () => {
      const created = await create(alice, { title: 'Mine', status: 'published' });
      await t.api.put(`/content/${created.id}`).set(bob.auth).send({ title: 'x' }).expect(403);
      await t.api.put(`/content/${MISSING_ID}`).set(alice.auth).send({ title: 'x' }).expect(404);
      await t.api.put(`/content/${created.id}`).send({ title: 'x' }).expect(401);
      await t.api
        .put(`/content/${created.id}`)
        .set(admin.auth)
        .send({ title: 'By admin' })
        .expect(200);
    });
  });

  describe('DELETE /content/:id', () => {
    it('deletes the document and answers 204; it is then 404', async () => {
      const created = await create(alice, { title: 'Doomed', status: 'published' });
      const res = await t.api.delete(`/content/${created.id}`).set(alice.auth).expect(204);
      expect(res.body).toEqual({});
      await t.api.get(`/content/${created.id}`).expect(404);
      expect(await contents.countDocuments({ _id: created.id })).toBe(0);
    });

    it('answers 403 to another user and keeps the document; an admin may delete it', async () => {
      const created = await create(alice, { title: 'Kept', status: 'published' });
      await t.api.delete(`/content/${created.id}`).set(bob.auth).expect(403);
      await t.api.get(`/content/${created.id}`).expect(200);
      await t.api.delete(`/content/${created.id}`).set(admin.auth).expect(204);
    });

    it("answers 404 for a missing id and for someone else's draft, 401 without a token", async () => {
      await t.api.delete(`/content/${MISSING_ID}`).set(alice.auth).expect(404);
      const draft = await create(alice, { title: 'Draft' });
      await t.api.delete(`/content/${draft.id}`).set(bob.auth).expect(404);
      await t.api.delete(`/content/${draft.id}`).expect(401);
      await t.api.get(`/content/${draft.id}`).set(alice.auth).expect(200);
    });
  });

  describe('POST /content/:id/comments', () => {
    it('appends a comment with $push and answers 201 with it; updatedAt is unchanged', async () => {
      const created = await create(alice, { title: 'Discuss', status: 'published' });
      const first = await comment(bob, created.id, 'First').expect(201);
      expect(first.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f]{24}$/),
        authorId: bob.id,
        body: 'First',
        createdAt: expect.stringMatching(ISO_DATE),
      });
      const second = await comment(alice, created.id, 'Second').expect(201);
      const read = (await t.api.get(`/content/${created.id}`).expect(200)).body;
      expect(read.comments).toEqual([first.body, second.body]);
      expect(read.updatedAt).toBe(created.updatedAt);
    });

    it('lets the author comment on their own draft; others get 404, as for a missing id', async () => {
      const draft = await create(alice, { title: 'Draft' });
      await comment(alice, draft.id, 'note').expect(201);
      await comment(bob, draft.id, 'hi').expect(404);
      await comment(bob, MISSING_ID, 'hi').expect(404);
    });

    it(`answers 409 once a document holds ${MAX_COMMENTS_PER_CONTENT} comments`, async () => {
      const created = await create(alice, { title: 'Popular', status: 'published' });
      const filler = Array.from({ length: MAX_COMMENTS_PER_CONTENT }, () => ({
        _id: new Types.ObjectId(),
        authorId: bob.id,
        body: 'x',
        createdAt: new Date(),
      }));
      await contents.updateOne({ _id: created.id }, { $push: { comments: { $each: filler } } });
      const res = await comment(bob, created.id, 'one too many').expect(409);
      expect(res.body.message).toBe(
        `a content document takes at most ${MAX_COMMENTS_PER_CONTENT} comments`,
      );
      const stored = await contents.findById(created.id).lean();
      expect(stored?.comments).toHaveLength(MAX_COMMENTS_PER_CONTENT);
    });

    it('needs a token and a body of 1..5000 characters', async () => {
      const created = await create(alice, { title: 'x', status: 'published' });
      await t.api.post(`/content/${created.id}/comments`).send({ body: 'x' }).expect(401);
      await comment(bob, created.id, '').expect(400);
      await comment(bob, created.id, 'x'.repeat(5001)).expect(400);
    });
  });

  describe('DELETE /users/:id (the hybrid link)', () => {
    it("deletes the user's documents and their comments, and nobody else's", async () => {
      const carol = await registerAndLogin(t.api);
      const first = await create(carol, { title: 'Carol 1', status: 'published' });
      const second = await create(carol, { title: 'Carol 2' });
      const alices = await create(alice, { title: 'Alice keeps this', status: 'published' });
      await comment(carol, alices.id, 'from carol').expect(201);
      await comment(bob, alices.id, 'from bob').expect(201);

      await t.api.delete(`/users/${carol.id}`).set(carol.auth).expect(204);

      expect(await contents.countDocuments({ authorId: carol.id })).toBe(0);
      await t.api.get(`/content/${first.id}`).set(admin.auth).expect(404);
      await t.api.get(`/content/${second.id}`).set(admin.auth).expect(404);
      const kept = (await t.api.get(`/content/${alices.id}`).expect(200)).body;
      expect(kept.comments.map((comment: { body: string }) => comment.body)).toEqual(['from bob']);
    });
  });

  describe('GET /health', () => {
    it('reports MongoDB up next to the relational database', async () => {
      const res = await t.api.get('/health').expect(200);
      expect(res.body).toEqual({
        status: 'ok',
        info: { database: { status: 'up' }, mongodb: { status: 'up' } },
        error: {},
        details: { database: { status: 'up' }, mongodb: { status: 'up' } },
      });
    });
  });
});

/**
 * README's content section lists the tests proven only on a real MongoDB, as the emulator run
 * titles them: exactly the tests marked with `emulatorGap`, in any e2e suite. Runs without a
 * server, so a list gone stale fails every run.
 */
describe('README: the content tests proven only on a real MongoDB', () => {
  const markedInTests = () =>
    readdirSync(__dirname)
      .filter((file) => file.endsWith('.e2e-spec.ts'))
      .flatMap((file) => {
        const source = readFileSync(join(__dirname, file), 'utf8');
        const calls = source.match(/\bemulatorGap\(/g) ?? [];
        const marked = [
          ...source.matchAll(
            /\bemulatorGap\(\s*EMULATOR_GAPS\.(\w+),\s*(['"])((?:\\.|(?!\2).)*)\2/g,
          ),
        ].map(([, gap, , title]) => {
          const named = EMULATOR_GAPS[gap as keyof typeof EMULATOR_GAPS];
          return `\`test/${file}\`: ${title.replace(/\\(.)/g, '$1')} [emulator gap: ${named}]`;
        });
        // Every mark must be readable here: a gap from EMULATOR_GAPS and a literal title.
        expect({ file, marks: marked.length }).toEqual({ file, marks: calls.length });
        return marked;
      });

  it('lists exactly the tests marked as emulator gaps, with their gaps', () => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    // One list item each, possibly wrapped over indented lines.
    const listed = [
      ...readme.matchAll(/^- (`test\/[^`]+`: [\s\S]*?\[emulator gap: [^\]]+\])$/gm),
    ].map(([, item]) => item.replace(/\s*\n\s*/g, ' '));
    const marked = markedInTests();
    expect(marked.length).toBeGreaterThan(0);
    expect([...listed].sort()).toEqual([...marked].sort());
  });
});
