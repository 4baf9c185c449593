import { UsersService } from '../src/users/users.service';
import { MISSING_UUID, registerAdmin, registerAndLogin, RegisteredUser } from './utils/fixtures';
import { createPost, PostBody, WRITE_HEAVY_SUITE_ENV } from './utils/posts';
import { createTestApp, TestApp } from './utils/test-app';

interface CommentBody {
  id: string;
  postId: string;
  body: string;
  createdAt: string;
  author: { id: string; username: string };
}

describe('Comments (section 3)', () => {
  let t: TestApp;
  let author: RegisteredUser;
  let reader: RegisteredUser;
  let admin: RegisteredUser;
  let post: PostBody;
  let draft: PostBody;
  const promote = (username: string) => t.app.get(UsersService).promoteToAdmin(username);

  const comment = (on: PostBody, by: RegisteredUser, body = 'A comment') =>
    t.api.post(`/posts/${on.id}/comments`).set(by.auth).send({ body });

  beforeAll(async () => {
    t = await createTestApp(WRITE_HEAVY_SUITE_ENV);
    author = await registerAndLogin(t.api);
    reader = await registerAndLogin(t.api);
    admin = await registerAdmin(t.api, promote);
    post = await createPost(t.api, author, { published: true });
    draft = await createPost(t.api, author);
  });
  afterAll(() => t.close());

  describe('POST /posts/:id/comments', () => {
    it('adds a comment by the caller, answering 201 with the comment', async () => {
      const res = await comment(post, reader, 'Nice post').expect(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        postId: post.id,
        body: 'Nice post',
        createdAt: expect.any(String),
        author: { id: reader.id, username: reader.username },
      });
    });

    it('lets the author comment on their own draft; to anyone else the draft is 404', async () => {
      await comment(draft, author).expect(201);
      await comment(draft, admin).expect(201);
      const res = await comment(draft, reader).expect(404);
      expect(res.body.message).toBe('post not found');
    });

    it.each([
      [{ body: '' }],
      [{ body: '   ' }],
      [{ body: 'x'.repeat(5001) }],
      [{ body: 42 }],
      [{}],
      [{ body: 'ok', postId: MISSING_UUID }],
    ])('rejects %j with 400', async (body) => {
      const res = await t.api
        .post(`/posts/${post.id}/comments`)
        .set(reader.auth)
        .send(body)
        .expect(400);
      expect(Array.isArray(res.body.message)).toBe(true);
    });

    it('accepts 5000 characters', async () => {
      await comment(post, reader, 'y'.repeat(5000)).expect(201);
    });

    it('answers 401 without token, 404 for a missing post, 400 for a malformed id', async () => {
      await t.api.post(`/posts/${post.id}/comments`).send({ body: 'x' }).expect(401);
      await t.api
        .post(`/posts/${MISSING_UUID}/comments`)
        .set(reader.auth)
        .send({ body: 'x' })
        .expect(404);
      await t.api.post('/posts/nope/comments').set(reader.auth).send({ body: 'x' }).expect(400);
    });
  });

  describe('GET /posts/:id/comments', () => {
    let target: PostBody;
    let written: CommentBody[];

    beforeAll(async () => {
      target = await createPost(t.api, author, { published: true });
      written = [];
      for (const [by, body] of [
        [reader, 'first'],
        [author, 'second'],
        [admin, 'third'],
      ] as const) {
        written.push((await comment(target, by, body).expect(201)).body);
      }
    });

    it('answers a page of comments, oldest first, to anyone', async () => {
      const res = await t.api.get(`/posts/${target.id}/comments`).expect(200);
      expect(res.body).toEqual({ items: written, total: 3, skip: 0, limit: 20 });
    });

    it('paginates with skip and limit', async () => {
      const res = await t.api.get(`/posts/${target.id}/comments?skip=1&limit=1`).expect(200);
      expect(res.body.items.map((c: CommentBody) => c.body)).toEqual(['second']);
      expect(res.body.total).toBe(3);
    });

    it("hides a draft's comments from everyone but its author and admins", async () => {
      await t.api.get(`/posts/${draft.id}/comments`).expect(404);
      await t.api.get(`/posts/${draft.id}/comments`).set(reader.auth).expect(404);
      await t.api.get(`/posts/${draft.id}/comments`).set(author.auth).expect(200);
      await t.api.get(`/posts/${draft.id}/comments`).set(admin.auth).expect(200);
    });

    it('answers 404 for a missing post and 400 for bad input', async () => {
      await t.api.get(`/posts/${MISSING_UUID}/comments`).expect(404);
      await t.api.get('/posts/nope/comments').expect(400);
      await t.api.get(`/posts/${target.id}/comments?limit=101`).expect(400);
      await t.api.get(`/posts/${target.id}/comments?cursor=abc`).expect(400);
    });

    it('is counted in the post’s commentCount', async () => {
      const res = await t.api.get(`/posts/${target.id}`).expect(200);
      expect(res.body.commentCount).toBe(3);
    });
  });

  describe('DELETE /comments/:id', () => {
    it('lets the comment’s author delete it', async () => {
      const created = await comment(post, reader).expect(201);
      await t.api.delete(`/comments/${created.body.id}`).set(reader.auth).expect(204);
      await t.api.delete(`/comments/${created.body.id}`).set(reader.auth).expect(404);
    });

    it('lets the post’s author and admins delete any comment on it', async () => {
      const first = await comment(post, reader).expect(201);
      const second = await comment(post, reader).expect(201);
      await t.api.delete(`/comments/${first.body.id}`).set(author.auth).expect(204);
      await t.api.delete(`/comments/${second.body.id}`).set(admin.auth).expect(204);
    });

    it('answers 403 to anyone else', async () => {
      const created = await comment(post, reader).expect(201);
      const stranger = await registerAndLogin(t.api);
      const res = await t.api.delete(`/comments/${created.body.id}`).set(stranger.auth).expect(403);
      expect(res.body.error).toBe('Forbidden');
    });

    it('answers 404 for a comment on a draft the caller cannot see, but lets its writer delete it', async () => {
      const onPost = await createPost(t.api, author, { published: true });
      const created = await comment(onPost, reader).expect(201);
      await t.api
        .patch(`/posts/${onPost.id}`)
        .set(author.auth)
        .send({ published: false })
        .expect(200);
      const stranger = await registerAndLogin(t.api);
      await t.api.delete(`/comments/${created.body.id}`).set(stranger.auth).expect(404);
      await t.api.delete(`/comments/${created.body.id}`).set(reader.auth).expect(204);
    });

    it('answers 404 for a missing comment, 400 for a malformed id, 401 without token', async () => {
      await t.api.delete(`/comments/${MISSING_UUID}`).set(reader.auth).expect(404);
      await t.api.delete('/comments/nope').set(reader.auth).expect(400);
      const created = await comment(post, reader).expect(201);
      await t.api.delete(`/comments/${created.body.id}`).expect(401);
    });
  });
});
