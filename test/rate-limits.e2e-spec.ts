import { randomBytes } from 'node:crypto';
import {
  LOGIN_FAILURE_WINDOW_SECONDS,
  LOGIN_FAILURES_PER_NAME,
} from '../src/rate-limiting/login-failure-limit';
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

describe('Failed logins per login name (in memory, no Redis configured)', () => {
  let t: TestApp;
  const WINDOW_SECONDS = LOGIN_FAILURE_WINDOW_SECONDS;

  beforeAll(async () => {
    t = await createTestApp(); // the per-address login limit is raised for tests (env-setup.ts)
  });
  afterAll(() => t.close());

  const login = (name: string, password: string) =>
    t.api.post('/auth/login').send({ login: name, password });

  async function failTimes(name: string, times: number) {
    for (let i = 0; i < times; i++) await login(name, 'not the password, sorry').expect(401);
  }

  function expectLocked(res: { status: number; headers: Record<string, string>; body: unknown }) {
    expect(res.status).toBe(429);
    expect(res.body).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: 'too many failed logins for this login name; retry later',
    });
    const retryAfter = Number(res.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(WINDOW_SECONDS - 60);
    expect(retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS);
  }

  it(`locks a name after ${LOGIN_FAILURES_PER_NAME} failures: 429 with Retry-After, the right password included`, async () => {
    const user = await registerAndLogin(t.api);
    await failTimes(user.username, LOGIN_FAILURES_PER_NAME);
    expectLocked(await login(user.username, PASSWORD));
    // Another name is not affected: the limit is per name, not per client.
    const other = await registerAndLogin(t.api);
    await login(other.username, PASSWORD).expect(200);
  });

  it('answers an unknown name exactly as a known one: the same 401s, then the same 429', async () => {
    const user = await registerAndLogin(t.api);
    const unknown = uniqueName('nobody');
    for (let i = 0; i < LOGIN_FAILURES_PER_NAME; i++) {
      const [known, missing] = [await login(user.username, 'wrong'), await login(unknown, 'wrong')];
      expect([known.status, missing.status]).toEqual([401, 401]);
      expect(missing.body).toEqual(known.body);
    }
    const [known, missing] = [await login(user.username, 'wrong'), await login(unknown, 'wrong')];
    expectLocked(known);
    expectLocked(missing);
  });

  it('does not count successful logins', async () => {
    const user = await registerAndLogin(t.api);
    await failTimes(user.username, LOGIN_FAILURES_PER_NAME - 1);
    for (let i = 0; i < 5; i++) await login(user.username, PASSWORD).expect(200);
    await failTimes(user.username, 1);
    expectLocked(await login(user.username, PASSWORD));
  });

  it('counts a name in any letter case and with surrounding spaces as the same name', async () => {
    const user = await registerAndLogin(t.api);
    const variants = [user.username.toUpperCase(), ` ${user.username} `, user.email.toUpperCase()];
    for (let i = 0; i < LOGIN_FAILURES_PER_NAME; i++) {
      await login(variants[i % 2], 'wrong').expect(401);
    }
    expectLocked(await login(user.username, PASSWORD));
    // The e-mail is another login name, with failures of its own.
    await login(variants[2], PASSWORD).expect(200);
  });

  it(`lets exactly ${LOGIN_FAILURES_PER_NAME} of 30 concurrent wrong attempts be tried`, async () => {
    const user = await registerAndLogin(t.api);
    const answers = await Promise.all(
      Array.from({ length: 30 }, () => login(user.username, 'wrong').then((res) => res.status)),
    );
    expect(answers.filter((status) => status === 401)).toHaveLength(LOGIN_FAILURES_PER_NAME);
    expect(answers.filter((status) => status === 429)).toHaveLength(30 - LOGIN_FAILURES_PER_NAME);
  });
});

// Needs a Redis server (the global setup checks TEST_REDIS_URL and prints why when it skips).
const describeWithRedis = redisReachable() ? describe : describe.skip;

describeWithRedis('Rate limits shared through Redis by several app instances', () => {
  const env = {
    REDIS_URL: TEST_REDIS_URL,
    RATE_LIMIT_KEY_PREFIX: `test:${randomBytes(6).toString('hex')}:`,
    LOGIN_RATE_LIMIT: '4',
    // Behind a trusted proxy, so that a test can send from many client addresses.
    TRUST_PROXY: 'loopback',
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

  it(`counts failed logins per name across instances: ${LOGIN_FAILURES_PER_NAME} in all lock the name on both`, async () => {
    const name = uniqueName('shared');
    // Every attempt from another client address: the per-address limit (4) never applies.
    let address = 0;
    const fail = (t: TestApp) =>
      t.api
        .post('/auth/login')
        .set('X-Forwarded-For', `198.51.100.${++address}`)
        .send({ login: name, password: 'wrong' });
    for (let i = 0; i < LOGIN_FAILURES_PER_NAME; i++) {
      await fail(i % 2 ? first : second).expect(401);
    }
    for (const t of [first, second]) {
      const res = await fail(t).expect(429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(LOGIN_FAILURE_WINDOW_SECONDS - 60);
    }
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

describe('Failed logins per login name when Redis is unreachable', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ REDIS_URL: 'redis://127.0.0.1:1' });
  });
  afterAll(() => t.close());

  it('keeps locking a name after its failures, counting them in memory', async () => {
    const name = uniqueName('offline');
    const fail = () => t.api.post('/auth/login').send({ login: name, password: 'wrong' });
    for (let i = 0; i < LOGIN_FAILURES_PER_NAME; i++) await fail().expect(401);
    await fail().expect(429);
  });
});
