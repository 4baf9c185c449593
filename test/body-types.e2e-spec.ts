import { randomUUID } from 'node:crypto';
import { UsersService } from '../src/users/users.service';
import { registerAdmin } from './utils/fixtures';
import { createTestApp, TestApp } from './utils/test-app';
import { unreachableMongoUri } from './utils/test-mongo';

/** A JSON Schema of OpenAPI 3.1 (`nullable` here marks what `null` may also be). */
interface Schema {
  $ref?: string;
  type?: string | string[];
  nullable?: boolean;
  example?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  enum?: unknown[];
}

interface OpenApiDocument {
  paths: Record<
    string,
    Record<string, { requestBody?: { content: Record<string, { schema: Schema }> } }>
  >;
  components: { schemas: Record<string, Schema> };
}

/** One JSON value of every type; each property is sent those that are not its own type. */
const VALUE_OF_TYPE: Record<string, unknown> = {
  string: 'a string',
  number: 12.5,
  integer: 12,
  boolean: true,
  array: ['an', 'array'],
  object: { an: 'object' },
};
const WRONG_VALUES: Record<string, unknown[]> = {
  string: [42, false, ['a string'], { value: 'a string' }],
  integer: ['12', 12.5, true, [12], { value: 12 }],
  number: ['12.5', true, [12.5], { value: 12.5 }],
  // "true" above all: a string where a boolean is expected must never be read as one.
  boolean: ['true', 'false', 1, 0, [true], { value: true }],
  array: ['a string', 42, true, { 0: 'a string' }],
  object: ['a string', 42, true, ['an', 'array']],
};

/**
 * Issue 14, part 2: request bodies never coerce a JSON type into another. Walks the OpenAPI
 * document the app serves and, for every property of every JSON request body (nested objects
 * and array items included), sends an otherwise valid body with that property of each wrong
 * type in turn, with a valid token: the answer must be 400 whose every message names that
 * property (`profile.bio`; `[0] title` in a list), so no other field was refused. `null` is wrong too, except where the document says the property is
 * nullable. The content module is mounted on an unreachable MongoDB: its bodies are validated
 * before MongoDB is asked anything.
 */
describe('Request bodies refuse every wrong JSON type, naming the property', () => {
  let t: TestApp;
  let doc: OpenApiDocument;
  let auth: { Authorization: string };

  beforeAll(async () => {
    t = await createTestApp({ MONGODB_URI: await unreachableMongoUri() });
    // An admin: admin-only routes check the role before the body (403 would hide the 400).
    const promote = (username: string) => t.app.get(UsersService).promoteToAdmin(username);
    auth = (await registerAdmin(t.api, promote)).auth;
    doc = (await t.api.get('/docs-json').expect(200)).body;
  });
  afterAll(() => t.close());

  /**
   * The schema behind references, `null` taken out: `type: ['string', 'null']` and
   * `anyOf: [{ $ref }, { type: 'null' }]` become the string and the referenced schema, with
   * `nullable` set.
   */
  function resolve(schema: Schema): Schema {
    if (schema.$ref) return resolve(doc.components.schemas[schema.$ref.split('/').pop()!]);
    const isNull = (option: Schema) => option.type === 'null';
    const options = schema.allOf ?? schema.oneOf ?? schema.anyOf ?? [];
    const [only, ...others] = options.filter((option) => !isNull(option));
    if (only && others.length === 0 && !schema.properties) {
      return { ...resolve(only), nullable: options.some(isNull) || schema.nullable };
    }
    if (Array.isArray(schema.type)) {
      const [type] = schema.type.filter((candidate) => candidate !== 'null');
      return { ...schema, type, nullable: schema.type.includes('null') };
    }
    return schema;
  }

  function typeOf(schema: Schema): string {
    const resolved = resolve(schema);
    if (typeof resolved.type === 'string') return resolved.type;
    if (resolved.properties) return 'object';
    throw new Error(`no type in ${JSON.stringify(schema)}`);
  }

  /** A valid value: the documented example, or one built from the schema. */
  function validValue(schema: Schema): unknown {
    const resolved = resolve(schema);
    if (resolved.example !== undefined) return resolved.example;
    if (resolved.enum) return resolved.enum[0];
    const type = typeOf(resolved);
    if (type === 'object') return validObject(resolved, true);
    if (type === 'array') return [validValue(resolved.items!)];
    return VALUE_OF_TYPE[type];
  }

  /** The required properties with valid values (every property for a nested object we set). */
  function validObject(schema: Schema, allProperties = false): Record<string, unknown> {
    const resolved = resolve(schema);
    const names = allProperties
      ? Object.keys(resolved.properties ?? {})
      : (resolved.required ?? []);
    return Object.fromEntries(names.map((name) => [name, validValue(resolved.properties![name])]));
  }

  interface Case {
    path: string[];
    value: unknown;
  }

  /** Every property at every depth, each with every value of a wrong type. */
  function casesOf(schema: Schema, path: string[] = []): Case[] {
    const resolved = resolve(schema);
    return Object.entries(resolved.properties ?? {}).flatMap(([name, property]) => {
      const here = [...path, name];
      const type = typeOf(property);
      const nullable = resolve(property).nullable === true;
      const wrong = [...WRONG_VALUES[type], ...(nullable ? [] : [null])];
      const cases: Case[] = wrong.map((value) => ({ path: here, value }));
      const inner = resolve(property);
      if (type === 'object' && inner.properties) cases.push(...casesOf(inner, here));
      if (type === 'array' && inner.items) {
        const itemType = typeOf(inner.items);
        cases.push(
          ...[...WRONG_VALUES[itemType], null].map((value) => ({ path: here, value: [value] })),
        );
      }
      return cases;
    });
  }

  function withValue(base: Record<string, unknown>, path: string[], value: unknown) {
    const body = structuredClone(base);
    let target = body;
    for (const key of path.slice(0, -1)) {
      target[key] ??= {};
      target = target[key] as Record<string, unknown>;
    }
    target[path[path.length - 1]] = value;
    return body;
  }

  it('answers 400 naming the property for every wrong type, never a 2xx', async () => {
    const failures: string[] = [];
    let sent = 0;
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([, operation]) => operation.requestBody?.content['application/json'])
        .map(([method, operation]) => ({
          method,
          path: path.replace(
            /\{id\}/g,
            path.startsWith('/content') ? 'a'.repeat(24) : randomUUID(),
          ),
          schema: operation.requestBody!.content['application/json'].schema,
        })),
    );
    expect(operations.length).toBeGreaterThanOrEqual(12);

    for (const operation of operations) {
      const isList = resolve(operation.schema).type === 'array';
      const itemSchema = isList ? resolve(operation.schema).items! : operation.schema;
      const base = validObject(itemSchema);
      for (const { path, value } of casesOf(itemSchema)) {
        const item = withValue(base, path, value);
        const body = isList ? [item] : item;
        const named = isList ? `[0] ${path.join('.')}` : path.join('.');
        const res = await t.api[operation.method as 'post'](operation.path).set(auth).send(body);
        sent++;
        const messages: unknown = res.body?.message;
        const naming = new RegExp(`(^|\\s)${named.replace(/[.[\]]/g, '\\$&')}(\\s|$)`);
        const namesOnlyIt =
          Array.isArray(messages) &&
          messages.length > 0 &&
          messages.every((message) => typeof message === 'string' && naming.test(message));
        if (res.status !== 400 || !namesOnlyIt) {
          failures.push(
            `${operation.method.toUpperCase()} ${operation.path} ${named}=${JSON.stringify(value)} -> ${res.status} ${JSON.stringify(messages)}`,
          );
        }
      }
    }
    console.log(
      `wrong-type bodies: ${sent} requests over ${operations.length} operations, ${failures.length} not refused as they should be`,
    );
    expect(failures).toEqual([]);
  }, 120_000);
});
