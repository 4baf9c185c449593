import { UsersService } from '../src/users/users.service';
import { MISSING_UUID, registerAdmin, registerAndLogin, RegisteredUser } from './utils/fixtures';
import { countRows, createPost, uniqueTag, WRITE_HEAVY_SUITE_ENV } from './utils/posts';
import { createTestApp, TestApp } from './utils/test-app';

interface TagBody {
  id: string;
  name: string;
  postCount: number;
  createdAt: string;
}

const names = (page: { items: TagBody[] }) => page.items.map((tag) => tag.name);

describe('Tags (section 3)', () => {
  let t: TestApp;
  let user: RegisteredUser;
  let admin: RegisteredUser;
  const promote = (username: string) => t.app.get(UsersService).promoteToAdmin(username);

  beforeAll(async () => {
    t = await createTestApp(WRITE_HEAVY_SUITE_ENV);
    user = await registerAndLogin(t.api);
    admin = await registerAdmin(t.api, promote);
  });
  afterAll(() => t.close());

  describe('POST /tags', () => {
    it('creates a normalised tag, answering 201 with postCount 0', async () => {
      const name = uniqueTag('new');
      const res = await t.api
        .post('/tags')
        .set(user.auth)
        .send({ name: `  ${name.toUpperCase().replace(/-/g, ' ')} ` })
        .expect(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name,
        postCount: 0,
        createdAt: expect.any(String),
      });
    });

    it('answers 409 naming the field when the normalised name exists', async () => {
      const name = uniqueTag('dup');
      await t.api.post('/tags').set(user.auth).send({ name }).expect(201);
      const res = await t.api
        .post('/tags')
        .set(user.auth)
        .send({ name: name.toUpperCase() })
        .expect(409);
      expect(res.body).toEqual({
        statusCode: 409,
        error: 'Conflict',
        message: 'name is already taken',
      });
    });

    it.each([[{ name: 'c++' }], [{ name: 'x'.repeat(51) }], [{ name: '  ' }], [{ name: 7 }], [{}]])(
      'rejects %j with 400 naming the name',
      async (body) => {
        const res = await t.api.post('/tags').set(user.auth).send(body).expect(400);
        expect(res.body.message.some((message: string) => message.startsWith('name'))).toBe(true);
      },
    );

    it('needs a token', async () => {
      await t.api.post('/tags').send({ name: uniqueTag() }).expect(401);
    });
  });

  describe('GET /tags', () => {
    const prefix = uniqueTag('list');
    let author: RegisteredUser;

    beforeAll(async () => {
      author = await registerAndLogin(t.api);
      // beta: 2 published posts and a draft; alpha: 1 published; gamma: a draft only.
      await createPost(t.api, author, {
        published: true,
        tags: [`${prefix}-beta`, `${prefix}-alpha`],
      });
      await createPost(t.api, author, { published: true, tags: [`${prefix}-beta`] });
      await createPost(t.api, author, { tags: [`${prefix}-beta`, `${prefix}-gamma`] });
    });

    it('answers the pagination envelope, sorted by name by default', async () => {
      const res = await t.api.get(`/tags?search=${prefix}&limit=2`).set(author.auth).expect(200);
      expect(res.body).toMatchObject({ total: 3, skip: 0, limit: 2 });
      expect(names(res.body)).toEqual([`${prefix}-alpha`, `${prefix}-beta`]);
      const rest = await t.api
        .get(`/tags?search=${prefix}&limit=2&skip=2`)
        .set(author.auth)
        .expect(200);
      expect(names(rest.body)).toEqual([`${prefix}-gamma`]);
    });

    it('counts published posts only', async () => {
      const res = await t.api.get(`/tags?search=${prefix}`).set(author.auth).expect(200);
      expect(res.body.items.map((tag: TagBody) => [tag.name, tag.postCount])).toEqual([
        [`${prefix}-alpha`, 1],
        [`${prefix}-beta`, 2],
        [`${prefix}-gamma`, 0],
      ]);
    });

    it('sorts by postCount both ways, ties by name, and by name descending', async () => {
      const get = (query: string) => t.api.get(`/tags?${query}`).set(author.auth).expect(200);
      const byCount = await get(`search=${prefix}&sort=-postCount`);
      expect(names(byCount.body)).toEqual([`${prefix}-beta`, `${prefix}-alpha`, `${prefix}-gamma`]);
      const ascending = await get(`search=${prefix}&sort=postCount`);
      expect(names(ascending.body)).toEqual([
        `${prefix}-gamma`,
        `${prefix}-alpha`,
        `${prefix}-beta`,
      ]);
      const byName = await get(`search=${prefix}&sort=-name`);
      expect(names(byName.body)).toEqual([`${prefix}-gamma`, `${prefix}-beta`, `${prefix}-alpha`]);
    });

    it('searches case-insensitively and literally', async () => {
      const res = await t.api.get(`/tags?search=${prefix.toUpperCase()}-AL`).expect(200);
      expect(names(res.body)).toEqual([`${prefix}-alpha`]);
      const wildcard = await t.api.get(`/tags?search=${encodeURIComponent(`${prefix}-_lpha`)}`);
      expect(wildcard.body.total).toBe(0);
    });

    it('hides a tag that only drafts carry from those who may not see the drafts', async () => {
      const stranger = await registerAndLogin(t.api);
      const listed = async (auth?: { Authorization: string }) => {
        const request = t.api.get(`/tags?search=${prefix}`);
        const res = await (auth ? request.set(auth) : request).expect(200);
        return { total: res.body.total, names: names(res.body) };
      };
      const published = [`${prefix}-alpha`, `${prefix}-beta`];
      expect(await listed()).toEqual({ total: 2, names: published });
      expect(await listed(stranger.auth)).toEqual({ total: 2, names: published });
      expect(await listed(author.auth)).toEqual({
        total: 3,
        names: [...published, `${prefix}-gamma`],
      });
      expect(await listed(admin.auth)).toEqual({
        total: 3,
        names: [...published, `${prefix}-gamma`],
      });
    });

    it.each(['limit=0', 'limit=101', 'skip=-1', 'sort=createdAt', 'other=1'])(
      'rejects %s with 400',
      async (query) => {
        await t.api.get(`/tags?${query}`).expect(400);
      },
    );
  });

  describe('GET /tags/:id', () => {
    it('answers the tag with its count of published posts', async () => {
      const name = uniqueTag('one');
      const author = await registerAndLogin(t.api);
      const post = await createPost(t.api, author, { published: true, tags: [name] });
      const res = await t.api.get(`/tags/${post.tags[0].id}`).expect(200);
      expect(res.body).toMatchObject({ id: post.tags[0].id, name, postCount: 1 });
    });

    it('answers 404 for a tag only hidden drafts carry, until one of them is published', async () => {
      const name = uniqueTag('secret');
      const author = await registerAndLogin(t.api);
      const stranger = await registerAndLogin(t.api);
      const draft = await createPost(t.api, author, { tags: [name] });
      const path = `/tags/${draft.tags[0].id}`;
      const notFound = await t.api.get(path).expect(404);
      expect(notFound.body.message).toBe('tag not found');
      await t.api.get(path).set(stranger.auth).expect(404);
      await t.api.get(path).set(author.auth).expect(200);
      await t.api.get(path).set(admin.auth).expect(200);
      await t.api
        .patch(`/posts/${draft.id}`)
        .set(author.auth)
        .send({ published: true })
        .expect(200);
      const seen = await t.api.get(path).expect(200);
      expect(seen.body).toMatchObject({ name, postCount: 1 });
    });

    it('shows a tag on no post at all (made with POST /tags) to everyone', async () => {
      const name = uniqueTag('empty');
      const created = await t.api.post('/tags').set(user.auth).send({ name }).expect(201);
      await t.api.get(`/tags/${created.body.id}`).expect(200);
      const listed = await t.api.get(`/tags?search=${name}`).expect(200);
      expect(names(listed.body)).toEqual([name]);
    });

    it('answers 404 for a missing tag and 400 for a malformed id', async () => {
      const missing = await t.api.get(`/tags/${MISSING_UUID}`).expect(404);
      expect(missing.body.message).toBe('tag not found');
      await t.api.get('/tags/not-a-uuid').expect(400);
    });
  });

  describe('PATCH /tags/:id', () => {
    it('lets an admin rename a tag; its posts show the new name', async () => {
      const author = await registerAndLogin(t.api);
      const post = await createPost(t.api, author, { published: true, tags: [uniqueTag('old')] });
      const renamed = uniqueTag('renamed');
      const res = await t.api
        .patch(`/tags/${post.tags[0].id}`)
        .set(admin.auth)
        .send({ name: renamed.toUpperCase() })
        .expect(200);
      expect(res.body).toMatchObject({ id: post.tags[0].id, name: renamed, postCount: 1 });
      const read = await t.api.get(`/posts/${post.id}`).expect(200);
      expect(read.body.tags).toEqual([{ id: post.tags[0].id, name: renamed }]);
    });

    it('answers 409 when another tag has the name', async () => {
      const [first, second] = [uniqueTag('a'), uniqueTag('b')];
      await t.api.post('/tags').set(user.auth).send({ name: first }).expect(201);
      const created = await t.api.post('/tags').set(user.auth).send({ name: second }).expect(201);
      const res = await t.api
        .patch(`/tags/${created.body.id}`)
        .set(admin.auth)
        .send({ name: first })
        .expect(409);
      expect(res.body.message).toBe('name is already taken');
    });

    it('is for admins only, with 404, 400 and 401 as usual', async () => {
      const created = await t.api
        .post('/tags')
        .set(user.auth)
        .send({ name: uniqueTag() })
        .expect(201);
      const forbidden = await t.api
        .patch(`/tags/${created.body.id}`)
        .set(user.auth)
        .send({ name: uniqueTag() })
        .expect(403);
      expect(forbidden.body.error).toBe('Forbidden');
      await t.api.patch(`/tags/${created.body.id}`).send({ name: uniqueTag() }).expect(401);
      await t.api
        .patch(`/tags/${MISSING_UUID}`)
        .set(admin.auth)
        .send({ name: uniqueTag() })
        .expect(404);
      await t.api.patch('/tags/x').set(admin.auth).send({ name: uniqueTag() }).expect(400);
      for (const body of [{ name: null }, { name: 'no way!' }, { postCount: 3 }]) {
        await t.api.patch(`/tags/${created.body.id}`).set(admin.auth).send(body).expect(400);
      }
    });
  });

  describe('DELETE /tags/:id', () => {
    it('lets an admin delete a tag; its posts stay, without the tag', async () => {
      const author = await registerAndLogin(t.api);
      const [doomed, kept] = [uniqueTag('doomed'), uniqueTag('kept')];
      const post = await createPost(t.api, author, { published: true, tags: [doomed, kept] });
      const doomedId = post.tags.find((tag) => tag.name === doomed)!.id;
      await t.api.delete(`/tags/${doomedId}`).set(admin.auth).expect(204);
      await t.api.get(`/tags/${doomedId}`).expect(404);
      const read = await t.api.get(`/posts/${post.id}`).expect(200);
      expect(read.body.tags.map((tag: TagBody) => tag.name)).toEqual([kept]);
      expect(await countRows(t.dataSource, 'post_tags', 'tagId', doomedId)).toBe(0);
    });

    it('is for admins only, with 404 and 401 as usual', async () => {
      const created = await t.api
        .post('/tags')
        .set(user.auth)
        .send({ name: uniqueTag() })
        .expect(201);
      await t.api.delete(`/tags/${created.body.id}`).set(user.auth).expect(403);
      await t.api.delete(`/tags/${created.body.id}`).expect(401);
      await t.api.delete(`/tags/${MISSING_UUID}`).set(admin.auth).expect(404);
      await t.api.get(`/tags/${created.body.id}`).expect(200);
    });
  });
});
