import { Logger } from '@nestjs/common';
import { registerAndLogin } from './utils/fixtures';
import { createTestApp, TestApp } from './utils/test-app';

describe('Content module off (no MONGODB_URI)', () => {
  let t: TestApp;
  let startupLogLines: string[];

  beforeAll(async () => {
    const log = jest.spyOn(Logger.prototype, 'log');
    try {
      t = await createTestApp({ MONGODB_URI: '' });
    } finally {
      startupLogLines = log.mock.calls.map(([message]) => String(message));
      log.mockRestore();
    }
  });
  afterAll(() => t.close());

  it('starts, and says in one startup log line that the content module is off', () => {
    const aboutContent = startupLogLines.filter((line) => /content module/i.test(line));
    expect(aboutContent).toEqual([
      'MONGODB_URI is not set: the content module is off (no /content routes, no MongoDB connection)',
    ]);
  });

  it('has no /content routes', async () => {
    const user = await registerAndLogin(t.api);
    await t.api.get('/content').expect(404);
    await t.api.get('/content/stats').expect(404);
    await t.api.get('/content/665f1c2a4e8b3d4c5e9f607a').expect(404);
    await t.api.post('/content').set(user.auth).send({ title: 'x' }).expect(404);
    await t.api
      .post('/content/bulk')
      .set(user.auth)
      .send([{ title: 'x' }])
      .expect(404);
  });

  it('lists no /content path and no content schema in Swagger', async () => {
    const doc = (await t.api.get('/docs-json').expect(200)).body;
    expect(Object.keys(doc.paths).filter((path) => path.startsWith('/content'))).toEqual([]);
    expect(Object.keys(doc.components.schemas).filter((name) => /content/i.test(name))).toEqual([]);
    expect((doc.tags ?? []).map((tag: { name: string }) => tag.name)).not.toContain('content');
  });

  it('answers /health without mentioning MongoDB', async () => {
    const res = await t.api.get('/health').expect(200);
    expect(res.body).toEqual({
      status: 'ok',
      info: { database: { status: 'up' } },
      error: {},
      details: { database: { status: 'up' } },
    });
    expect(JSON.stringify(res.body)).not.toMatch(/mongo/i);
  });

  it('still deletes users (nothing listens for their content)', async () => {
    const user = await registerAndLogin(t.api);
    await t.api.delete(`/users/${user.id}`).set(user.auth).expect(204);
    await t.api.get(`/users/${user.id}`).expect(404);
  });
});
