import { randomUUID } from 'node:crypto';
import { registerAndLogin } from './utils/fixtures';
import { createPost } from './utils/posts';
import { createTestApp, TestApp } from './utils/test-app';

interface Parameter {
  name: string;
  in: string;
  schema?: { type?: string; minimum?: number; maximum?: number };
}

interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  bodySchema?: { properties?: Record<string, unknown> };
}

interface OpenApiDocument {
  paths: Record<
    string,
    Record<string, { parameters?: Operation['parameters']; requestBody?: unknown }>
  >;
  components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
}

const HOSTILE_STRINGS = [
  "' OR '1'='1' --",
  '"; DROP TABLE users; --',
  '%_%',
  '\\',
  '{"$gt": ""}',
  '$where',
  '../../etc/passwd',
  '😀🚀 ünïcödé ‮ \u0000',
  'x'.repeat(5_000),
];

const HOSTILE_VALUES: unknown[] = [
  ...HOSTILE_STRINGS,
  { $gt: '' },
  { $where: 'sleep(1000)' },
  { nested: { deeper: { deepest: [1, 2, 3] } } },
  ['an', 'array'],
  [{ $ne: null }],
  1e20,
  -1,
  1.5,
  true,
  null,
  'y'.repeat(200_000),
];

const PATH_VALUES = ['not-a-uuid', "1' OR 1=1", '%00', '😀', 'x'.repeat(2_000), randomUUID(), '0'];

const QUERY_VALUES = [
  'abc',
  '-1',
  '1e309',
  '',
  '{"$gt":""}',
  '%',
  'z'.repeat(4_000),
  '[object Object]',
];

function operationsOf(doc: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const ref = (
        operation.requestBody as { content?: Record<string, { schema?: { $ref?: string } }> }
      )?.content?.['application/json']?.schema?.$ref;
      operations.push({
        method,
        path,
        parameters: operation.parameters ?? [],
        bodySchema: ref ? doc.components.schemas[ref.split('/').pop()!] : undefined,
      });
    }
  }
  return operations;
}

/**
 * Walks the OpenAPI document and sends every operation malformed input: wrong types, operator
 * objects, huge and unicode strings, injection strings, invalid JSON, hostile path and query
 * values, with and without a token. Bounded in count, loopback only. No answer may be a 5xx.
 */
describe('Hostile input against every documented operation', () => {
  let t: TestApp;
  let auth: { Authorization: string };
  let userId: string;
  const statuses: Record<number, number> = {};
  const serverErrors: string[] = [];

  beforeAll(async () => {
    t = await createTestApp({ WRITE_RATE_LIMIT: '100000', LOGIN_RATE_LIMIT: '100000' });
    const user = await registerAndLogin(t.api);
    auth = user.auth;
    userId = user.id;
  });
  afterAll(() => t.close());

  async function send(
    operation: Operation,
    path: string,
    options: { query?: string; body?: unknown; rawBody?: string; withToken: boolean },
  ): Promise<void> {
    let request = t.api[operation.method as 'get'](
      path + (options.query ? `?${options.query}` : ''),
    );
    if (options.withToken) request = request.set(auth);
    if (options.rawBody !== undefined) {
      request = request.set('Content-Type', 'application/json').send(options.rawBody);
    } else if (options.body !== undefined) {
      request = request.send(options.body as object);
    }
    const response = await request;
    statuses[response.status] = (statuses[response.status] ?? 0) + 1;
    if (response.status >= 500) {
      serverErrors.push(
        `${operation.method.toUpperCase()} ${path} ${options.query ?? ''} -> ${response.status} ${response.text.slice(0, 200)}`,
      );
    }
  }

  function concretePath(operation: Operation, value: string): string {
    return operation.path.replace(/\{[^}]+\}/g, encodeURIComponent(value));
  }

  it('answers no malformed request with a 5xx, and stays healthy', async () => {
    const doc: OpenApiDocument = (await t.api.get('/docs-json').expect(200)).body;
    const operations = operationsOf(doc).filter((op) => !op.path.startsWith('/docs'));
    expect(operations.length).toBeGreaterThan(5);
    const startedAt = Date.now();
    let sent = 0;

    for (const operation of operations) {
      const hasPathParams = operation.path.includes('{');
      const paths = hasPathParams
        ? PATH_VALUES.map((v) => concretePath(operation, v))
        : [operation.path];
      const queryNames = operation.parameters.filter((p) => p.in === 'query').map((p) => p.name);

      for (const withToken of [false, true]) {
        for (const path of paths) {
          await send(operation, path, { withToken });
          sent++;
        }
        const path = paths[0];
        for (const name of [...queryNames, 'unknownParam']) {
          for (const value of QUERY_VALUES) {
            await send(operation, path, {
              withToken,
              query: `${name}=${encodeURIComponent(value)}`,
            });
          }
          // Arrays and nested objects in the query string (the extended query parser builds them).
          await send(operation, path, { withToken, query: `${name}[]=1&${name}[]=2` });
          await send(operation, path, { withToken, query: `${name}[$gt]=&${name}[$ne]=1` });
          sent += QUERY_VALUES.length + 2;
        }

        if (['post', 'put', 'patch'].includes(operation.method)) {
          await send(operation, path, { withToken, rawBody: '{"unterminated": ' });
          await send(operation, path, { withToken, rawBody: '[1, 2, 3]' });
          await send(operation, path, { withToken, rawBody: '"just a string"' });
          await send(operation, path, { withToken, body: { unknownField: 'x', $where: '1' } });
          sent += 4;
          for (const property of Object.keys(operation.bodySchema?.properties ?? {})) {
            for (const value of HOSTILE_VALUES) {
              await send(operation, path, { withToken, body: { [property]: value } });
              sent++;
            }
          }
        }
      }
    }

    // A request line longer than Node's header limit is refused by the HTTP parser (431).
    const tooLong = await t.api.get(`/users?search=${'q'.repeat(20_000)}`).set(auth);
    expect(tooLong.status).toBe(431);

    console.log(
      `hostile input: ${sent} requests over ${operations.length} operations in ${Date.now() - startedAt} ms, ` +
        `statuses ${JSON.stringify(statuses)}`,
    );
    expect(serverErrors).toEqual([]);
    await t.api.get('/health').expect(200);
  }, 240_000);

  /**
   * Every integer query parameter of the document takes decimal digits within its documented
   * range and nothing else (issue 14): what Number() would accept (`1e3`, `0x10`, ` 1`) and what
   * a database would refuse (`skip` past a 64-bit offset) are 400 naming the parameter; both
   * bounds are 200, so the range is one every dialect takes.
   */
  it('refuses any integer query parameter that is not decimal digits in range, naming it', async () => {
    const doc: OpenApiDocument = (await t.api.get('/docs-json').expect(200)).body;
    const author = await registerAndLogin(t.api);
    const post = await createPost(t.api, author, { published: true, tags: ['integers'] });
    await t.api.post(`/posts/${post.id}/comments`).set(auth).send({ body: 'hi' }).expect(201);
    const idFor = (path: string) => (path.startsWith('/users') ? userId : post.id);

    let refused = 0;
    let accepted = 0;
    const integerParameters = operationsOf(doc).flatMap((operation) =>
      operation.parameters
        .filter((parameter) => parameter.in === 'query' && parameter.schema?.type === 'integer')
        .map((parameter) => ({ operation, parameter })),
    );
    expect(integerParameters.map(({ parameter }) => parameter.name)).toEqual(
      expect.arrayContaining(['skip', 'limit']),
    );
    for (const { operation, parameter } of integerParameters) {
      const { minimum, maximum } = parameter.schema!;
      expect([parameter.name, typeof minimum, typeof maximum]).toEqual([
        parameter.name,
        'number',
        'number',
      ]);
      const path = operation.path.replace(/\{[^}]+\}/g, idFor(operation.path));
      const get = (query: string) => t.api.get(`${path}?${query}`).set(auth);
      const invalid = [
        '-0',
        '-1',
        '+1',
        '1e3',
        '1.5',
        '1.0',
        '0x10',
        '007',
        ' 1',
        '1 ',
        '',
        'abc',
        '1e30',
        String(maximum! + 1),
        '99999999999999999999',
        String(minimum! - 1),
      ];
      for (const value of invalid) {
        const res = await get(`${parameter.name}=${encodeURIComponent(value)}`);
        expect([operation.path, parameter.name, value, res.status]).toEqual([
          operation.path,
          parameter.name,
          value,
          400,
        ]);
        expect(res.body.message).toEqual(
          expect.arrayContaining([expect.stringMatching(new RegExp(`^${parameter.name} `))]),
        );
        refused++;
      }
      const repeated = await get(`${parameter.name}=1&${parameter.name}=2`);
      expect([operation.path, parameter.name, repeated.status]).toEqual([
        operation.path,
        parameter.name,
        400,
      ]);
      refused++;
      for (const value of [minimum!, maximum!]) {
        const res = await get(`${parameter.name}=${value}`);
        expect([operation.path, parameter.name, value, res.status]).toEqual([
          operation.path,
          parameter.name,
          value,
          200,
        ]);
        accepted++;
      }
    }
    console.log(
      `integer parameters: ${integerParameters.length} over ${new Set(integerParameters.map(({ operation }) => operation.path)).size} routes, ${refused} invalid values refused with 400, ${accepted} bounds accepted`,
    );
  }, 120_000);
});
