import { PASSWORD, registerAndLogin, uniqueName } from './utils/fixtures';
import { createTestApp, TestApp } from './utils/test-app';
import { countBy } from './utils/traffic';

describe('Concurrent requests', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('twenty registrations of the same username give exactly one 201 and nineteen 409', async () => {
    const username = uniqueName('race');
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.api
          .post('/users')
          .send({ email: `${username}_${i}@example.com`, username, password: PASSWORD }),
      ),
    );
    const statuses = countBy(responses, (r) => r.status);
    expect(statuses).toEqual({ 201: 1, 409: 19 });
    for (const r of responses.filter((r) => r.status === 409)) {
      expect(r.body.message).toBe('username is already taken');
    }
    const users = await t.dataSource.query(
      `SELECT COUNT(*) AS n FROM ${t.dataSource.driver.escape('users')} WHERE ${t.dataSource.driver.escape('normalizedUsername')} = '${username.toLowerCase()}'`,
    );
    expect(Number(users[0].n)).toBe(1);
  });

  it('concurrent updates of one user leave one consistent final state and never a 500', async () => {
    const user = await registerAndLogin(t.api, { profile: { bio: 'start' } });
    const responses = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        t.api
          .patch(`/users/${user.id}`)
          .set(user.auth)
          .send({ fullName: `Name ${i}`, profile: { bio: `bio ${i}` } }),
      ),
    );
    expect(responses.map((r) => r.status).every((status) => status === 200)).toBe(true);
    const final = await t.api.get(`/users/${user.id}`).set(user.auth).expect(200);
    // Both fields come from one of the requests (each request writes them in one transaction).
    const index = /^Name (\d+)$/.exec(final.body.fullName)?.[1];
    expect(index).toBeDefined();
    expect(final.body.profile).toEqual({ bio: `bio ${index}`, avatarUrl: null });
    const profiles = await t.dataSource.query(
      `SELECT COUNT(*) AS n FROM ${t.dataSource.driver.escape('profiles')} WHERE ${t.dataSource.driver.escape('userId')} = '${user.id}'`,
    );
    expect(Number(profiles[0].n)).toBe(1);
  });

  it('concurrent profile creation for a user without one leaves exactly one profile row', async () => {
    const user = await registerAndLogin(t.api);
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        t.api
          .patch(`/users/${user.id}`)
          .set(user.auth)
          .send({ profile: { bio: `first ${i}` } }),
      ),
    );
    expect(responses.map((r) => r.status).every((status) => status === 200)).toBe(true);
    const profiles = await t.dataSource.query(
      `SELECT COUNT(*) AS n FROM ${t.dataSource.driver.escape('profiles')} WHERE ${t.dataSource.driver.escape('userId')} = '${user.id}'`,
    );
    expect(Number(profiles[0].n)).toBe(1);
  });

  it('concurrent re-taggings of one post leave exactly one of the requested tag sets, without duplicate links', async () => {
    const author = await registerAndLogin(t.api);
    const post = await t.api
      .post('/posts')
      .set(author.auth)
      .send({ title: 'Raced', published: true, tags: ['start'] })
      .expect(201);
    const tagSets = Array.from({ length: 10 }, (_, i) => [`set-${i}-a`, `set-${i}-b`, 'shared']);
    const responses = await Promise.all(
      tagSets.map((tags) => t.api.patch(`/posts/${post.body.id}`).set(author.auth).send({ tags })),
    );
    expect(responses.map((r) => r.status).every((status) => status === 200)).toBe(true);

    const final = await t.api.get(`/posts/${post.body.id}`).expect(200);
    const names = (final.body.tags as { name: string }[]).map((tag) => tag.name).sort();
    expect(tagSets.map((tags) => [...tags].sort())).toContainEqual(names);
    const links = await t.dataSource.query(
      `SELECT COUNT(*) AS n FROM ${t.dataSource.driver.escape('post_tags')} WHERE ${t.dataSource.driver.escape('postId')} = '${post.body.id}'`,
    );
    expect(Number(links[0].n)).toBe(3);
    const shared = await t.api.get('/tags?search=shared').expect(200);
    expect(shared.body.items.filter((tag: { name: string }) => tag.name === 'shared')).toHaveLength(
      1,
    );
  });
});
