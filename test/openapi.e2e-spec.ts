import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import createClient from 'openapi-fetch';
import { PASSWORD, uniqueName } from './utils/fixtures';
import type { paths } from './utils/openapi-types';
import { createTestApp, TestApp } from './utils/test-app';

interface Operation {
  operationId?: string;
  summary?: string;
  security?: Record<string, string[]>[];
  parameters?: {
    name: string;
    in: string;
    description?: string;
    example?: unknown;
    schema?: { example?: unknown; default?: unknown };
  }[];
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
}

const ERROR_SCHEMA = '#/components/schemas/ErrorResponseDto';

/** The committed `openapi.json` (CI regenerates it with `npm run openapi` and fails on a diff). */
const committed: { paths: Record<string, Record<string, Operation>> } = JSON.parse(
  readFileSync(join(__dirname, '..', 'openapi.json'), 'utf8'),
);
const operations = Object.entries(committed.paths).flatMap(([path, item]) =>
  Object.entries(item).map(([method, operation]) => ({ path, method, operation })),
);
const named = operations.map(
  ({ path, method, operation }) => [`${method} ${path}`, operation] as [string, Operation],
);

describe('openapi.json, the OpenAPI document as a product', () => {
  it('describes the whole API, the content module included', () => {
    expect(Object.keys(committed.paths)).toEqual(
      expect.arrayContaining(['/auth/login', '/users', '/posts', '/tags', '/content', '/health']),
    );
  });

  it('gives every operation a unique operationId', () => {
    const ids = operations.map(({ operation }) => operation.operationId);
    expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(named)(
    '%s has a summary and its error responses in the contract error shape',
    (_, op) => {
      expect(op.summary).toEqual(expect.any(String));
      const errors = Object.keys(op.responses).filter((status) => /^4\d\d$/.test(status));
      expect(errors).toContain('401'); // an invalid token is 401 everywhere
      for (const status of errors) {
        expect(op.responses[status].content?.['application/json']?.schema?.$ref).toBe(ERROR_SCHEMA);
      }
    },
  );

  /**
   * Swagger UI fills a parameter in with its example, and its first "Execute" sends them all:
   * path ids, pagination and sort carry one; a query filter without a default (mutually
   * exclusive like `cursor` and `skip`, or narrowing like `search`) shows its example in its
   * description instead.
   */
  it.each(named)(
    '%s has an example for each parameter, pre-filled unless it is a filter',
    (_, op) => {
      for (const parameter of op.parameters ?? []) {
        const example = parameter.example ?? parameter.schema?.example;
        const isFilter = parameter.in === 'query' && parameter.schema?.default === undefined;
        if (isFilter) {
          expect([parameter.name, example]).toEqual([parameter.name, undefined]);
          expect([parameter.name, parameter.description]).toEqual([
            parameter.name,
            expect.stringMatching(/`[^`]+`/),
          ]);
        } else {
          expect([parameter.name, example]).toEqual([parameter.name, expect.anything()]);
        }
      }
    },
  );

  it('documents optional auth on public routes that read the caller, and none where unused', () => {
    const security = (method: string, path: string) => committed.paths[path][method].security;
    for (const path of ['/posts', '/posts/{id}', '/tags', '/users/{id}', '/content']) {
      expect([path, security('get', path)]).toEqual([path, [{}, { bearer: [] }]]);
    }
    expect(security('post', '/auth/login')).toEqual([]);
    expect(security('get', '/health')).toEqual([]);
    expect(security('post', '/posts')).toEqual([{ bearer: [] }]);
  });
});

describe('A client generated from openapi.json (openapi-typescript + openapi-fetch)', () => {
  let t: TestApp;
  let client: ReturnType<typeof createClient<paths>>;

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    client = createClient<paths>({ baseUrl: await t.app.getUrl() });
  });
  afterAll(() => t.close());

  it('registers, logs in, creates a post and finds it in the list, with typed calls', async () => {
    const username = uniqueName('typed');
    const registered = await client.POST('/users', {
      body: { email: `${username}@example.com`, username, password: PASSWORD },
    });
    expect(registered.response.status).toBe(201);
    expect(registered.data?.username).toBe(username);

    const login = await client.POST('/auth/login', {
      body: { login: username, password: PASSWORD },
    });
    expect(login.response.status).toBe(200);
    const accessToken: string = login.data!.accessToken;
    const auth = { Authorization: `Bearer ${accessToken}` };

    const title = `Typed client ${uniqueName()}`;
    const created = await client.POST('/posts', {
      headers: auth,
      body: { title, content: 'Written through openapi-fetch', published: true, tags: ['Typed'] },
    });
    expect(created.response.status).toBe(201);
    expect(created.data).toMatchObject({
      title,
      published: true,
      author: { id: registered.data!.id, username },
      tags: [{ name: 'typed' }],
    });

    const listed = await client.GET('/posts', {
      params: { query: { authorId: registered.data!.id, limit: 5 } },
    });
    expect(listed.response.status).toBe(200);
    const titles: string[] = (listed.data?.items ?? []).map((post) => post.title);
    expect(titles).toEqual([title]);
    expect(listed.data?.total).toBe(1);
  });

  it('reads a contract error through the typed error branch', async () => {
    const { data, error, response } = await client.POST('/auth/login', {
      body: { login: uniqueName('nobody'), password: 'wrong password' },
    });
    expect(response.status).toBe(401);
    expect(data).toBeUndefined();
    expect(error).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
  });
});
