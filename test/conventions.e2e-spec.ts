import { readFileSync } from 'node:fs';
import { createTestApp, TestApp } from './utils/test-app';
import { PASSWORD, registerAndLogin, uniqueName } from './utils/fixtures';

describe('Conventions (section 0) and operations (section 5)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  describe('X-Request-Id', () => {
    it('is generated when the request has none', async () => {
      const res = await t.api.get('/health').expect(200);
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('is echoed when the request gives one', async () => {
      const res = await t.api.get('/health').set('X-Request-Id', 'trace-abc.123').expect(200);
      expect(res.headers['x-request-id']).toBe('trace-abc.123');
    });

    it('is on error responses too', async () => {
      const res = await t.api.get('/users/not-a-uuid').set('X-Request-Id', 'err-1').expect(400);
      expect(res.headers['x-request-id']).toBe('err-1');
    });

    it('replaces a request id that is not a sane token', async () => {
      const res = await t.api.get('/health').set('X-Request-Id', 'x'.repeat(500)).expect(200);
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  describe('request logs', () => {
    async function logLineOf(requestId: string): Promise<Record<string, unknown>> {
      for (let attempt = 0; attempt < 50; attempt++) {
        const lines = readFileSync(process.env.LOG_FILE!, 'utf8').split('\n');
        const line = lines.find(
          (l) => l.includes(`"requestId":"${requestId}"`) && l.includes('"res"'),
        );
        if (line) return JSON.parse(line) as Record<string, unknown>;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`no request log line for ${requestId}`);
    }

    it('writes one JSON line per request with method, route, status, duration and request id, without body or headers', async () => {
      await t.api
        .post('/auth/login')
        .set('X-Request-Id', 'log-line-check')
        .set('Authorization', 'Bearer not-a-real-token-but-secret-looking')
        .send({ login: 'someone', password: 'a password that must not be logged' })
        .expect(401);
      const line = await logLineOf('log-line-check');
      expect(line).toMatchObject({
        requestId: 'log-line-check',
        req: { method: 'POST', url: '/auth/login' },
        res: { statusCode: 401 },
        route: '/auth/login',
        durationMs: expect.any(Number),
      });
      const text = JSON.stringify(line);
      expect(text).not.toMatch(/authorization|not-a-real-token|must not be logged/i);
    });
  });

  describe('request bodies', () => {
    it('answers 413 for a body over 1 MB', async () => {
      const res = await t.api
        .post('/users')
        .set('Content-Type', 'application/json')
        .send(
          JSON.stringify({
            email: 'a@example.com',
            username: 'big',
            password: 'x'.repeat(1_100_000),
          }),
        )
        .expect(413);
      expect(res.body).toEqual({
        statusCode: 413,
        error: 'Payload Too Large',
        message: 'request body is larger than 1 MB',
      });
    });

    it('answers 400 for malformed JSON', async () => {
      const res = await t.api
        .post('/users')
        .set('Content-Type', 'application/json')
        .send('{"email": ')
        .expect(400);
      expect(res.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: expect.stringContaining('JSON'),
      });
    });

    it('answers 400 for a body nested absurdly deep instead of overflowing the stack', async () => {
      const deep = '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000);
      const res = await t.api
        .post('/users')
        .set('Content-Type', 'application/json')
        .send(deep)
        .expect(400);
      expect(res.body.message).toBe('request body is nested deeper than 64 levels');
    });

    it('answers 400 when a string field gets an object or an array', async () => {
      const res = await t.api
        .post('/users')
        .send({ email: { $gt: '' }, username: ['a', 'b'], password: PASSWORD })
        .expect(400);
      expect(res.body.message.some((m: string) => m.startsWith('email'))).toBe(true);
      expect(res.body.message.some((m: string) => m.startsWith('username'))).toBe(true);
    });
  });

  describe('unknown routes', () => {
    it('answer 404 in the error shape', async () => {
      const res = await t.api.get('/nope').expect(404);
      expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    });
  });

  describe('GET /health', () => {
    it('answers 200 with the terminus body when the database answers', async () => {
      const res = await t.api.get('/health').expect(200);
      expect(res.body).toMatchObject({
        status: 'ok',
        info: { database: { status: 'up' } },
        error: {},
      });
    });
  });

  describe('Cache-Control', () => {
    it('is no-store on answers that hold a token, an e-mail or anything a credential unlocked', async () => {
      const user = await registerAndLogin(t.api);
      const login = await t.api
        .post('/auth/login')
        .send({ login: user.username, password: PASSWORD })
        .expect(200);
      const registration = await t.api
        .post('/users')
        .send({ email: `${uniqueName()}@example.com`, username: uniqueName(), password: PASSWORD })
        .expect(201);
      const me = await t.api.get('/auth/me').set(user.auth).expect(200);
      const ownPosts = await t.api.get('/posts?limit=1').set(user.auth).expect(200);
      const refused = await t.api.get('/auth/me').set('Authorization', 'Bearer nope').expect(401);
      for (const res of [login, registration, me, ownPosts, refused]) {
        expect(res.headers['cache-control']).toBe('no-store');
      }
    });

    it('is left to the client on anonymous reads', async () => {
      const res = await t.api.get('/posts?limit=1').expect(200);
      expect(res.headers['cache-control']).toBeUndefined();
    });
  });

  describe('Swagger', () => {
    it('serves Swagger UI at /docs', async () => {
      const res = await t.api.get('/docs').expect(200);
      expect(res.text).toContain('swagger-ui');
    });

    it('serves the OpenAPI document with bearer auth and every route of sections 1, 2 and 5', async () => {
      const res = await t.api.get('/docs-json').expect(200);
      const doc = res.body;
      expect(doc.components.securitySchemes.bearer).toMatchObject({
        type: 'http',
        scheme: 'bearer',
      });
      for (const [path, method] of [
        ['/auth/login', 'post'],
        ['/auth/me', 'get'],
        ['/users', 'post'],
        ['/users', 'get'],
        ['/users/{id}', 'get'],
        ['/users/{id}', 'patch'],
        ['/users/{id}', 'delete'],
        ['/health', 'get'],
      ]) {
        expect(doc.paths[path]?.[method]).toBeDefined();
      }
    });

    it('documents the error responses of protected and validated routes with the error schema', async () => {
      const doc = (await t.api.get('/docs-json')).body;
      const patchUser = doc.paths['/users/{id}'].patch;
      for (const status of ['400', '401', '403', '404', '409']) {
        expect(patchUser.responses[status].content['application/json'].schema.$ref).toBe(
          '#/components/schemas/ErrorResponseDto',
        );
      }
      expect(doc.paths['/auth/login'].post.responses['429']).toBeDefined();
      expect(patchUser.security).toEqual([{ bearer: [] }]);
    });

    it('describes DTO fields with their examples and constraints', async () => {
      const { schemas } = (await t.api.get('/docs-json')).body.components;
      expect(schemas.CreateUserDto.properties.username).toMatchObject({
        minLength: 3,
        maxLength: 30,
        example: 'alice',
      });
      expect(schemas.CreateUserDto.required).toEqual(
        expect.arrayContaining(['email', 'username', 'password']),
      );
      expect(schemas.UpdateUserDto.required ?? []).toEqual([]);
      expect(schemas.UserDto.properties.email.example).toBe('alice@example.com');
      expect(JSON.stringify(schemas.UserDto)).not.toMatch(/password/i);
    });
  });
});

describe('DOCS_ENABLED=false', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ DOCS_ENABLED: 'false' });
  });
  afterAll(() => t.close());

  it('serves neither Swagger UI nor the OpenAPI document, and the API as usual', async () => {
    for (const path of ['/docs', '/docs-json']) {
      const res = await t.api.get(path).expect(404);
      expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    }
    await t.api.get('/posts?limit=1').expect(200);
  });
});

describe('When the database goes away', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('answers 503 from /health naming the database, and 503 (not 500) from routes that need it', async () => {
    await t.dataSource.destroy();
    const health = await t.api.get('/health').expect(503);
    expect(health.body).toMatchObject({ status: 'error', error: { database: { status: 'down' } } });
    const res = await t.api
      .post('/users')
      .send({ email: `${uniqueName()}@example.com`, username: uniqueName(), password: PASSWORD })
      .expect(503);
    expect(res.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
  });
});
