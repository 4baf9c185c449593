import { Logger } from '@nestjs/common';
import { UsersService } from '../src/users/users.service';
import { registerAdmin, registerAndLogin, RegisteredUser } from './utils/fixtures';
import { createTestApp, TestApp } from './utils/test-app';
import { unreachableMongoUri } from './utils/test-mongo';

/**
 * The content module mounted (MONGODB_URI set) while MongoDB does not answer. Needs no server,
 * so it always runs: it proves the routes and their documentation exist, that validation and
 * authentication happen before anything reaches MongoDB, and that an outage is a 503.
 */
describe('Content module on, MongoDB unreachable', () => {
  const id = '665f1c2a4e8b3d4c5e9f607a';
  let t: TestApp;
  let user: RegisteredUser;
  let startupLogLines: string[];

  beforeAll(async () => {
    const log = jest.spyOn(Logger.prototype, 'log');
    try {
      t = await createTestApp({
        MONGODB_URI: await unreachableMongoUri(),
        MONGODB_SERVER_SELECTION_TIMEOUT_MS: '200',
      });
    } finally {
      startupLogLines = log.mock.calls.map(([message]) => String(message));
      log.mockRestore();
    }
    user = await registerAndLogin(t.api);
  });
  afterAll(() => t.close());

  describe('startup', () => {
    it('starts although MongoDB does not answer, and does not say the module is off', () => {
      expect(startupLogLines.filter((line) => /content module is off/i.test(line))).toEqual([]);
    });

    it('keeps serving the relational API', async () => {
      await t.api.get(`/users/${user.id}`).expect(200);
    });
  });

  describe('GET /health', () => {
    it('answers 503 naming mongodb as down and the relational database as up', async () => {
      const res = await t.api.get('/health').expect(503);
      expect(res.body).toEqual({
        status: 'error',
        info: { database: { status: 'up' } },
        error: { mongodb: { status: 'down' } },
        details: { database: { status: 'up' }, mongodb: { status: 'down' } },
      });
    });
  });

  describe('routes that need MongoDB', () => {
    it.each([
      ['GET', '/content'],
      ['GET', '/content/stats'],
      ['GET', `/content/${id}`],
    ])('%s %s answers 503 in the error shape, not 500', async (_method, path) => {
      const res = await t.api.get(path).expect(503);
      expect(res.body).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        message: 'the database is unavailable, retry later',
      });
    });

    it('POST /content answers 503', async () => {
      await t.api.post('/content').set(user.auth).send({ title: 'Lost' }).expect(503);
    });
  });

  describe('DELETE /users/:id', () => {
    it('deletes the user but answers 503 saying their content could not be removed', async () => {
      const doomed = await registerAndLogin(t.api);
      const res = await t.api.delete(`/users/${doomed.id}`).set(doomed.auth).expect(503);
      expect(res.body.message).toBe(
        'the user was deleted, but their content documents could not be removed: ' +
          'the content store is unavailable',
      );
      await t.api.get(`/users/${doomed.id}`).expect(404);
    });
  });

  describe('authentication comes before MongoDB', () => {
    it.each([
      ['post', '/content'],
      ['post', '/content/bulk'],
      ['patch', `/content/${id}`],
      ['put', `/content/${id}`],
      ['delete', `/content/${id}`],
      ['post', `/content/${id}/comments`],
    ] as const)('%s %s needs a token (401)', async (method, path) => {
      await t.api[method](path).send({ title: 'x', body: 'x' }).expect(401);
    });

    it.each([['/content'], ['/content/stats'], [`/content/${id}`]])(
      'GET %s is public but answers 401 to an invalid token',
      async (path) => {
        await t.api.get(path).set('Authorization', 'Bearer not-a-token').expect(401);
      },
    );
  });

  describe('validation comes before MongoDB', () => {
    it.each([
      ['title', { title: { $gt: '' } }],
      ['body', { title: 't', body: { $gt: '' } }],
      ['status', { title: 't', status: { $ne: 'draft' } }],
      ['tags', { title: 't', tags: [{ $gt: '' }] }],
      ['metadata', { title: 't', metadata: { $gt: '' } }],
    ])('POST /content rejects {"$gt": ""} in %s with 400', async (field, body) => {
      const res = await t.api.post('/content').set(user.auth).send(body).expect(400);
      expect(res.body.message.some((message: string) => message.startsWith(field))).toBe(true);
    });

    it('POST /content rejects operator keys at the top level of the body', async () => {
      const res = await t.api
        .post('/content')
        .set(user.auth)
        .send({ title: 't', $where: 'sleep(1000)', authorId: user.id })
        .expect(400);
      expect(res.body.message).toEqual(
        expect.arrayContaining([
          'property $where should not exist',
          'property authorId should not exist',
        ]),
      );
    });

    it.each([
      [
        { nested: { deeper: [{ $set: 1 }] } },
        'metadata key "$set" at metadata.nested.deeper[0] may not start with "$"',
      ],
      [{ nested: { 'a.b': 1 } }, 'metadata key "a.b" at metadata.nested may not contain "."'],
    ])('rejects unsafe metadata keys at any depth: %j', async (metadata, message) => {
      const res = await t.api
        .post('/content')
        .set(user.auth)
        .send({ title: 't', metadata })
        .expect(400);
      expect(res.body).toEqual({ statusCode: 400, error: 'Bad Request', message: [message] });
    });

    it('rejects metadata over 16 KB serialised with 400', async () => {
      const res = await t.api
        .post('/content')
        .set(user.auth)
        .send({ title: 't', metadata: { text: 'x'.repeat(16 * 1024) } })
        .expect(400);
      expect(res.body.message[0]).toMatch(/^metadata must be at most 16384 bytes/);
    });

    it.each([
      ['authorId[$gt]='],
      ['status[$ne]=draft'],
      ['tag[$gt]='],
      ['search[$regex]=.*'],
      ['q[$gt]='],
      ['limit[$gt]=1'],
      ['$where=1'],
    ])('GET /content rejects the operator query %s with 400', async (query) => {
      const res = await t.api.get(`/content?${query}`).expect(400);
      expect(Array.isArray(res.body.message)).toBe(true);
    });

    it.each([
      ['limit=0'],
      ['limit=101'],
      ['limit=abc'],
      ['skip=-1'],
      ['status=deleted'],
      ['authorId=not-a-uuid'],
      ['tag=c%2B%2B'],
      ['sort=title'],
    ])('GET /content rejects %s with 400', async (query) => {
      await t.api.get(`/content?${query}`).expect(400);
    });

    it('GET /content/stats rejects an out-of-range tagLimit and unknown parameters', async () => {
      await t.api.get('/content/stats?tagLimit=0').expect(400);
      await t.api.get('/content/stats?tagLimit=101').expect(400);
      await t.api.get('/content/stats?unknown=1').expect(400);
    });

    it.each([
      ['get', '/content/not-an-id'],
      ['get', '/content/aaaaaaaaaaaa'],
      ['patch', '/content/123'],
      ['put', '/content/665f1c2a4e8b3d4c5e9f607'],
      ['delete', '/content/zzzzzzzzzzzzzzzzzzzzzzzz'],
      ['post', '/content/nope/comments'],
    ] as const)('%s %s answers 400 for a malformed id', async (method, path) => {
      const res = await t.api[method](path)
        .set(user.auth)
        .send({ title: 't', body: 'b' })
        .expect(400);
      expect(res.body.message).toBe('id must be a 24-character hexadecimal ObjectId');
    });

    it('PUT rejects fields that are not editable and a missing title', async () => {
      const res = await t.api
        .put(`/content/${id}`)
        .set(user.auth)
        .send({ body: 'b', comments: [], authorId: user.id })
        .expect(400);
      expect(res.body.message).toEqual(
        expect.arrayContaining([
          'title must be a string',
          'property comments should not exist',
          'property authorId should not exist',
        ]),
      );
    });

    it('PATCH rejects null and unknown fields', async () => {
      const res = await t.api
        .patch(`/content/${id}`)
        .set(user.auth)
        .send({ title: null, createdAt: '2020-01-01T00:00:00.000Z' })
        .expect(400);
      expect(res.body.message).toEqual(
        expect.arrayContaining(['title must be a string', 'property createdAt should not exist']),
      );
    });

    it('POST /content/:id/comments rejects an empty or operator body', async () => {
      await t.api.post(`/content/${id}/comments`).set(user.auth).send({ body: '' }).expect(400);
      await t.api
        .post(`/content/${id}/comments`)
        .set(user.auth)
        .send({ body: { $gt: '' } })
        .expect(400);
    });
  });

  describe('POST /content/bulk validation', () => {
    it('names the index of each invalid item (400), before anything is written', async () => {
      const res = await t.api
        .post('/content/bulk')
        .set(user.auth)
        .send([
          { title: 'ok' },
          { title: 'ok' },
          { title: '' },
          { title: 'ok', metadata: { $x: 1 } },
        ])
        .expect(400);
      expect(res.body.message).toEqual([
        '[2] title must be longer than or equal to 1 characters',
        '[3] metadata key "$x" at metadata may not start with "$"',
      ]);
    });

    it('rejects more than 500 items, an empty array and a non-array body', async () => {
      const tooMany = Array.from({ length: 501 }, (_, index) => ({ title: `t${index}` }));
      const res = await t.api.post('/content/bulk').set(user.auth).send(tooMany).expect(400);
      expect(res.body.message).toEqual(['body must contain at most 500 items, got 501']);
      await t.api.post('/content/bulk').set(user.auth).send([]).expect(400);
      await t.api.post('/content/bulk').set(user.auth).send({ title: 'x' }).expect(400);
    });

    it('answers 413 for a body over 1 MB', async () => {
      const items = Array.from({ length: 11 }, () => ({ title: 't', body: 'x'.repeat(99_000) }));
      const res = await t.api.post('/content/bulk').set(user.auth).send(items).expect(413);
      expect(res.body.statusCode).toBe(413);
    });
  });

  describe('Swagger', () => {
    interface Operation {
      tags: string[];
      security: unknown;
      responses: Record<string, { content: { 'application/json': { schema: { $ref: string } } } }>;
      parameters: Record<string, unknown>[];
      requestBody: unknown;
    }
    let doc: {
      paths: Record<string, Record<string, Operation>>;
      components: { schemas: Record<string, Record<string, unknown>> };
    };
    beforeAll(async () => {
      doc = (await t.api.get('/docs-json').expect(200)).body;
    });

    it('lists every content route', () => {
      for (const [path, method] of [
        ['/content', 'post'],
        ['/content', 'get'],
        ['/content/bulk', 'post'],
        ['/content/stats', 'get'],
        ['/content/{id}', 'get'],
        ['/content/{id}', 'patch'],
        ['/content/{id}', 'put'],
        ['/content/{id}', 'delete'],
        ['/content/{id}/comments', 'post'],
      ]) {
        expect(doc.paths[path]?.[method]).toBeDefined();
        expect(doc.paths[path][method].tags).toEqual(['content']);
        // Reads take a token (drafts for their author) but need none; writes need one.
        const security = method === 'get' ? [{}, { bearer: [] }] : [{ bearer: [] }];
        expect([path, method, doc.paths[path][method].security]).toEqual([path, method, security]);
      }
    });

    it('documents the error statuses of each route with the shared error schema', () => {
      const expected: Record<string, [string, string[]]> = {
        'post /content': ['/content', ['400', '401', '413', '503']],
        'post /content/bulk': ['/content/bulk', ['400', '401', '409', '413', '503']],
        'get /content/{id}': ['/content/{id}', ['400', '401', '404', '503']],
        'patch /content/{id}': ['/content/{id}', ['400', '401', '403', '404', '413', '503']],
        'delete /content/{id}': ['/content/{id}', ['400', '401', '403', '404', '503']],
        'post /content/{id}/comments': [
          '/content/{id}/comments',
          ['400', '401', '404', '409', '503'],
        ],
      };
      for (const [route, [path, statuses]] of Object.entries(expected)) {
        const responses = doc.paths[path][route.split(' ')[0]].responses;
        for (const status of statuses) {
          expect(responses[status].content['application/json'].schema.$ref).toBe(
            '#/components/schemas/ErrorResponseDto',
          );
        }
      }
    });

    it('describes the bodies and answers with examples, the bulk body as an array of at most 500', () => {
      const { schemas } = doc.components;
      expect(schemas.CreateContentDto.required).toEqual(['title']);
      expect(schemas.CreateContentDto.properties).toMatchObject({
        title: { minLength: 1, maxLength: 200, example: 'Schema design for flexible documents' },
        status: { enum: ['draft', 'published', 'archived'], default: 'draft' },
        tags: { type: 'array', example: ['mongodb', 'schema-design'] },
        metadata: { type: 'object', example: { readingTimeMinutes: 7 } },
      });
      expect(schemas.ContentDto.properties).toMatchObject({
        id: { example: '665f1c2a4e8b3d4c5e9f607a' },
        comments: { type: 'array', items: { $ref: '#/components/schemas/ContentCommentDto' } },
      });
      expect(schemas.BulkCreateResultDto.properties).toMatchObject({ created: { example: 2 } });
      expect(doc.paths['/content/bulk'].post.requestBody).toMatchObject({
        content: {
          'application/json': {
            schema: {
              type: 'array',
              maxItems: 500,
              items: { $ref: '#/components/schemas/CreateContentDto' },
            },
          },
        },
      });
    });

    it('documents the id parameter as a 24-hex ObjectId', () => {
      const parameters = doc.paths['/content/{id}'].get.parameters;
      expect(parameters).toContainEqual(
        expect.objectContaining({
          name: 'id',
          in: 'path',
          schema: {
            type: 'string',
            pattern: '^[0-9a-f]{24}$',
            example: '665f1c2a4e8b3d4c5e9f607a',
          },
        }),
      );
    });

    it('documents the list filters (q, search, repeatable tag, authorId, status) and the page', () => {
      const names = doc.paths['/content'].get.parameters.map((parameter) => parameter.name);
      expect(names).toEqual(
        // skip and limit come from the shared PaginationQueryDto (documented, or not, there).
        expect.arrayContaining(['q', 'search', 'tag', 'authorId', 'status']),
      );
      expect(JSON.stringify(doc.paths['/content'].get.responses['200'])).toContain('ContentDto');
    });
  });

  describe('admins', () => {
    it('are subject to the same validation', async () => {
      const admin = await registerAdmin(t.api, (name) =>
        t.app.get(UsersService).promoteToAdmin(name),
      );
      await t.api
        .post('/content')
        .set(admin.auth)
        .send({ title: { $gt: '' } })
        .expect(400);
    });
  });
});
