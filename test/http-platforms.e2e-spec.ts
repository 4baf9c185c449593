import request from 'supertest';
import { BODY_LIMIT_BYTES } from '../src/common/request-body';
import { HTTP_PLATFORMS, HttpPlatform } from '../src/config/environment';
import { PASSWORD, uniqueName } from './utils/fixtures';
import { createTestApp, TestApp } from './utils/test-app';

type Response = request.Response;
type Send = (app: TestApp) => request.Test;

/**
 * The same requests against the app on Express and on Fastify, on the edge cases where the two
 * servers differ unless http-platform.ts makes them agree: statuses and bodies must be equal.
 */
describe('Express and Fastify answer the same', () => {
  const apps = {} as Record<HttpPlatform, TestApp>;
  // LOGIN_RATE_LIMIT is low so that one test can reach it; no other test here logs in.
  const env = { LOGIN_RATE_LIMIT: '3' };

  beforeAll(async () => {
    for (const platform of HTTP_PLATFORMS) {
      apps[platform] = await createTestApp({ ...env, HTTP_PLATFORM: platform });
    }
  });
  afterAll(async () => {
    for (const app of Object.values(apps)) await app.close();
  });

  it('runs each app on its platform', () => {
    for (const platform of HTTP_PLATFORMS) {
      expect(apps[platform].app.getHttpAdapter().getType()).toBe(platform);
    }
  });

  /** Sends the request to both apps in turn and returns the answers, Express's first. */
  async function onBoth(send: Send): Promise<[Response, Response]> {
    const express = await send(apps.express);
    const fastify = await send(apps.fastify);
    return [express, fastify];
  }

  async function expectSameAnswer(send: Send, status: number): Promise<Response> {
    const [express, fastify] = await onBoth(send);
    expect({ status: fastify.status, body: fastify.body }).toEqual({
      status: express.status,
      body: express.body,
    });
    expect(express.status).toBe(status);
    return express;
  }

  const registration = () => ({
    email: `${uniqueName()}@example.com`,
    username: uniqueName(),
    password: PASSWORD,
  });

  /** A valid registration padded with JSON whitespace to exactly `bytes` bytes. */
  function registrationOfSize(bytes: number): string {
    const json = JSON.stringify(registration());
    return json.slice(0, -1) + ' '.repeat(bytes - Buffer.byteLength(json)) + '}';
  }

  const postJson = (path: string, body: string) => (t: TestApp) =>
    t.api.post(path).set('Content-Type', 'application/json').send(body);

  describe('request bodies', () => {
    it('refuses a body one byte over 1 MB with 413 in the error shape', async () => {
      const res = await expectSameAnswer(
        postJson('/users', registrationOfSize(BODY_LIMIT_BYTES + 1)),
        413,
      );
      expect(res.body).toEqual({
        statusCode: 413,
        error: 'Payload Too Large',
        message: 'request body is larger than 1 MB',
      });
    });

    it('accepts a valid body of exactly 1 MB', async () => {
      const [express, fastify] = await onBoth(
        postJson('/users', registrationOfSize(BODY_LIMIT_BYTES)),
      );
      expect([express.status, fastify.status]).toEqual([201, 201]);
      expect(Object.keys(fastify.body).sort()).toEqual(Object.keys(express.body).sort());
    });

    it('validates a body just under 1 MB (400 naming the unknown property)', async () => {
      const body = JSON.stringify({
        ...registration(),
        padding: 'x'.repeat(BODY_LIMIT_BYTES - 200),
      });
      const res = await expectSameAnswer(postJson('/users', body), 400);
      expect(res.body.message).toEqual(['property padding should not exist']);
    });

    it.each([
      ['truncated JSON', '{"email": '],
      ['a trailing comma', '{"email": "a@example.com",}'],
      ['a single quote', "{'email': 'a@example.com'}"],
    ])('answers 400 "not valid JSON" for %s', async (_case, body) => {
      const res = await expectSameAnswer(postJson('/users', body), 400);
      expect(res.body.message).toBe('request body is not valid JSON');
    });

    it('answers 400 for a body nested deeper than 64 levels', async () => {
      const deep = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
      const res = await expectSameAnswer(postJson('/users', deep), 400);
      expect(res.body.message).toBe('request body is nested deeper than 64 levels');
    });

    it.each([
      ['a JSON string', '"a@example.com"'],
      ['a number', '42'],
      ['null', 'null'],
    ])('answers 400 for %s: a body is an object or an array', async (_case, body) => {
      const res = await expectSameAnswer(postJson('/users', body), 400);
      expect(res.body.message).toBe('request body must be a JSON object or array');
    });

    /** A registration plus `count` extra keys `k0`, `k1`, ... */
    const withExtraKeys = (count: number) =>
      JSON.stringify({
        ...registration(),
        ...Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, 0])),
      });

    it('refuses 60,000 keys in one object before anything transforms the body', async () => {
      const body = withExtraKeys(60_000);
      expect(Buffer.byteLength(body)).toBeLessThan(BODY_LIMIT_BYTES);
      const res = await expectSameAnswer(postJson('/users', body), 400);
      // The body guard's message: validation, which would name each unknown key, never ran.
      expect(res.body.message).toBe(
        'request body has an object or array of more than 1000 entries',
      );
    });

    it('leaves 1,000 keys in one object to validation', async () => {
      const res = await expectSameAnswer(postJson('/users', withExtraKeys(997)), 400);
      expect(res.body.message).toHaveLength(997);
      expect(res.body.message[0]).toMatch(/^property k\d+ should not exist$/);
    });

    it('refuses more than 20,000 keys and items in all', async () => {
      const nested = Array.from({ length: 25 }, () =>
        Object.fromEntries(Array.from({ length: 900 }, (_, i) => [`k${i}`, 0])),
      );
      const res = await expectSameAnswer(
        postJson('/users', JSON.stringify({ ...registration(), nested })),
        400,
      );
      expect(res.body.message).toBe('request body has more than 20000 keys and items in all');
    });

    it.each([
      ['__proto__', '{"email":"a@example.com","__proto__":{"isAdmin":true}}'],
      ['toString', '{"email":"a@example.com","toString":1}'],
      ['constructor', '{"email":"a@example.com","constructor":"x"}'],
      ['hasOwnProperty', '{"profile":{"hasOwnProperty":1}}'],
      ['valueOf', '[{"metadata":{"a":{"valueOf":{}}}}]'],
    ])('answers 400 for a %s key at any depth, naming it', async (key, body) => {
      const res = await expectSameAnswer(postJson('/users', body), 400);
      expect(res.body.message).toBe(`request body must not contain the key "${key}"`);
    });

    it.each([
      [
        'an empty JSON body',
        (t: TestApp) => t.api.post('/users').set('Content-Type', 'application/json'),
      ],
      [
        'a text/plain body',
        (t: TestApp) => t.api.post('/users').set('Content-Type', 'text/plain').send('hello'),
      ],
      [
        'a form body (JSON only)',
        (t: TestApp) => t.api.post('/users').type('form').send(registration()),
      ],
    ])('answers 400 naming the missing fields for %s', async (_case, send: Send) => {
      const res = await expectSameAnswer(send, 400);
      expect(res.body.message).toEqual(expect.arrayContaining([expect.stringMatching(/^email/)]));
    });
  });

  describe('query strings', () => {
    it('reads a repeated key as a list (tag=a&tag=b)', async () => {
      await expectSameAnswer((t) => t.api.get('/posts?tag=alpha&tag=beta&limit=5'), 200);
    });

    it('refuses a repeated single-valued key with 400', async () => {
      const res = await expectSameAnswer((t) => t.api.get('/posts?limit=1&limit=2'), 400);
      expect(res.body.message).toEqual(expect.arrayContaining([expect.stringMatching(/^limit/)]));
    });

    it('refuses a nested key (sort[x]=1) with 400', async () => {
      const res = await expectSameAnswer((t) => t.api.get('/posts?sort[title]=1'), 400);
      expect(res.body.message).toEqual(expect.arrayContaining([expect.stringMatching(/^sort/)]));
    });

    it('refuses an unknown key with 400 naming it', async () => {
      const res = await expectSameAnswer((t) => t.api.get('/posts?colour=red'), 400);
      expect(res.body.message).toEqual(['property colour should not exist']);
    });

    it.each([
      ['/posts?limit[toString]=1', 'limit[toString]', 'toString'],
      ['/users/stats/top-authors?limit[toString]=1', 'limit[toString]', 'toString'],
      ['/posts?toString=1', 'toString', 'toString'],
      ['/posts?constructor=1', 'constructor', 'constructor'],
      ['/posts?hasOwnProperty=x&limit=1', 'hasOwnProperty', 'hasOwnProperty'],
      ['/posts?__proto__[limit]=1', '__proto__[limit]', '__proto__'],
      ['/posts?sort%5BvalueOf%5D=x', 'sort[valueOf]', 'valueOf'],
    ])('refuses %s with 400 naming the key', async (url, key, name) => {
      const res = await expectSameAnswer((t) => t.api.get(url), 400);
      expect(res.body.message).toBe(`query parameter "${key}" must not use the name "${name}"`);
    });
  });

  describe('routes', () => {
    it('answers an unknown route 404 in the error shape', async () => {
      const res = await expectSameAnswer((t) => t.api.get('/no-such-route'), 404);
      expect(res.body).toEqual({
        statusCode: 404,
        error: 'Not Found',
        message: 'Cannot GET /no-such-route',
      });
    });

    it('ignores a trailing slash', async () => {
      await expectSameAnswer((t) => t.api.get('/posts/?limit=1'), 200);
    });

    it('answers 400 for a malformed path parameter', async () => {
      await expectSameAnswer((t) => t.api.get('/users/not-a-uuid'), 400);
    });

    it('serves the same OpenAPI document', async () => {
      await expectSameAnswer((t) => t.api.get('/docs-json'), 200);
    });
  });

  describe('headers', () => {
    it('echoes a given X-Request-Id, on errors too', async () => {
      for (const res of await onBoth((t) =>
        t.api
          .post('/users')
          .set('Content-Type', 'application/json')
          .set('X-Request-Id', 'parity-1')
          .send('{'),
      )) {
        expect(res.status).toBe(400);
        expect(res.headers['x-request-id']).toBe('parity-1');
      }
    });

    it('generates an X-Request-Id when none or an unusable one is given', async () => {
      for (const res of [
        ...(await onBoth((t) => t.api.get('/health'))),
        ...(await onBoth((t) => t.api.get('/no-such-route').set('X-Request-Id', 'bad id!'))),
      ]) {
        expect(res.headers['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f-]{27}$/);
      }
    });

    const SECURITY_HEADERS = [
      'content-security-policy',
      'cross-origin-opener-policy',
      'cross-origin-resource-policy',
      'origin-agent-cluster',
      'referrer-policy',
      'strict-transport-security',
      'x-content-type-options',
      'x-dns-prefetch-control',
      'x-download-options',
      'x-frame-options',
      'x-permitted-cross-domain-policies',
      'x-xss-protection',
    ];

    it.each([
      ['an API response', '/posts?limit=1'],
      ['an error', '/no-such-route'],
      ['Swagger UI', '/docs'],
    ])('sends the same security headers and no X-Powered-By on %s', async (_case, path) => {
      const [express, fastify] = await onBoth((t) => t.api.get(path));
      const headersOf = (res: Response) =>
        Object.fromEntries(SECURITY_HEADERS.map((name) => [name, res.headers[name]]));
      expect(headersOf(fastify)).toEqual(headersOf(express));
      for (const res of [express, fastify]) {
        expect(res.headers['x-powered-by']).toBeUndefined();
        expect(res.headers['content-security-policy']).toContain("default-src 'self'");
        expect(res.headers['x-content-type-options']).toBe('nosniff');
      }
    });
  });

  describe('client address', () => {
    it('does not let X-Forwarded-For pick another rate-limit bucket (TRUST_PROXY off)', async () => {
      const login = { login: 'nobody-here', password: PASSWORD };
      const attempt = (i: number) => (t: TestApp) =>
        t.api.post('/auth/login').set('X-Forwarded-For', `203.0.113.${i}`).send(login);
      for (let i = 1; i <= 3; i++) await expectSameAnswer(attempt(i), 401);
      const limited = await expectSameAnswer(attempt(4), 429);
      expect(limited.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    });
  });
});

describe('Express and Fastify with TRUST_PROXY=loopback', () => {
  it('both count logins per X-Forwarded-For address from a trusted proxy', async () => {
    for (const platform of HTTP_PLATFORMS) {
      const t = await createTestApp({
        HTTP_PLATFORM: platform,
        LOGIN_RATE_LIMIT: '2',
        TRUST_PROXY: 'loopback',
      });
      try {
        const attempt = (address: string) =>
          t.api
            .post('/auth/login')
            .set('X-Forwarded-For', address)
            .send({ login: 'nobody-here', password: PASSWORD });
        for (let i = 1; i <= 4; i++) {
          expect([platform, (await attempt(`203.0.113.${i}`)).status]).toEqual([platform, 401]);
        }
        await attempt('198.51.100.7').expect(401);
        await attempt('198.51.100.7').expect(401);
        await attempt('198.51.100.7').expect(429);
      } finally {
        await t.close();
      }
    }
  });
});
