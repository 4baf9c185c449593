import { randomBytes } from 'node:crypto';
import { PASSWORD, registerAndLogin, uniqueName } from './utils/fixtures';
import { createTestApp, TestApp } from './utils/test-app';
import { redisReachable, TEST_REDIS_URL } from './utils/test-redis';

function newUserBody() {
  return { email: `${uniqueName()}@example.com`, username: uniqueName(), password: PASSWORD };
}

describe('Write rate limit (in memory, no Redis configured)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ WRITE_RATE_LIMIT: '3' });
  });
  afterAll(() => t.close());

  it('answers 429 with Retry-After once a client exceeds WRITE_RATE_LIMIT writes a minute', async () => {
    for (let i = 0; i < 3; i++) await t.api.post('/users').send(newUserBody()).expect(201);
    const limited = await t.api.post('/users').send(newUserBody()).expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
  });

  it('does not limit reads', async () => {
    for (let i = 0; i < 10; i++) await t.api.get('/health').expect(200);
  });
});

// Needs a Redis server (the global setup checks TEST_REDIS_URL and prints why when it skips).
const describeWithRedis = redisReachable() ? describe : describe.skip;

describeWithRedis('Rate limits shared through Redis by several app instances', () => {
  const env = {
    REDIS_URL: TEST_REDIS_URL,
    RATE_LIMIT_KEY_PREFIX: `test:${randomBytes(6).toString('hex')}:`,
    LOGIN_RATE_LIMIT: '4',
  };
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    first = await createTestApp(env);
    second = await createTestApp(env);
  });
  afterAll(async () => {
    await first.close();
    await second.close();
  });

  it('counts logins across instances: the fifth login on any instance is 429', async () => {
    const user = await registerAndLogin(first.api); // login 1, on the first instance
    const login = { login: user.username, password: PASSWORD };
    // The second instance has its own database: the user is unknown there, the attempt still counts.
    await second.api.post('/auth/login').send(login).expect(401); // 2
    await first.api.post('/auth/login').send(login).expect(200); // 3
    await second.api.post('/auth/login').send(login).expect(401); // 4
    await first.api.post('/auth/login').send(login).expect(429); // 5
    await second.api.post('/auth/login').send(login).expect(429);
  });

  it('reports Redis on /health', async () => {
    const res = await first.api.get('/health').expect(200);
    expect(res.body.info).toMatchObject({ database: { status: 'up' }, redis: { status: 'up' } });
  });
});

describe('Rate limits when Redis is unreachable', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ REDIS_URL: 'redis://127.0.0.1:1', LOGIN_RATE_LIMIT: '2' });
  });
  afterAll(() => t.close());

  it('keeps serving and keeps limiting, counting in memory', async () => {
    const login = { login: uniqueName(), password: PASSWORD };
    await t.api.post('/auth/login').send(login).expect(401);
    await t.api.post('/auth/login').send(login).expect(401);
    await t.api.post('/auth/login').send(login).expect(429);
    await t.api.get('/users/not-a-uuid').expect(400);
  });

  it('reports Redis down on /health (503), the database up', async () => {
    const res = await t.api.get('/health').expect(503);
    expect(res.body).toMatchObject({
      status: 'error',
      info: { database: { status: 'up' } },
      error: { redis: { status: 'down' } },
    });
  });
});
