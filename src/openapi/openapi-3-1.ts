import type { OpenAPIObject } from '@nestjs/swagger';

type Schema = Record<string, unknown>;

const COMPOSITIONS = ['allOf', 'oneOf', 'anyOf'] as const;
/** What describes a property rather than constrains its value: kept beside a nullable wrapper. */
const ANNOTATIONS = ['description', 'example', 'examples', 'default', 'title', 'deprecated'];

/**
 * The document as OpenAPI 3.1, whose schemas are JSON Schema: `@nestjs/swagger` writes 3.0's
 * `nullable: true`, which standard validators read wrongly beside a reference (`profile: null`
 * against `{ nullable: true, allOf: [{ $ref: ProfileDto }] }` "must be object": 3.0 lets
 * `nullable` qualify only a `type` in the same schema). Here a nullable type becomes
 * `type: [T, 'null']`, and a nullable reference `anyOf: [{ $ref }, { type: 'null' }]`, which
 * Prism, Redocly, Swagger UI and openapi-typescript (`ProfileDto | null`) all read the same way.
 */
export function toOpenApi31(document: OpenAPIObject): OpenAPIObject {
  const converted = convert(structuredClone(document)) as unknown as OpenAPIObject;
  converted.openapi = '3.1.0';
  return converted;
}

function convert(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(convert);
  if (!node || typeof node !== 'object') return node;
  const converted: Schema = {};
  for (const [key, value] of Object.entries(node)) {
    // Examples are values, not schemas: `{ "bio": null }` stays as it is.
    converted[key] = key === 'example' || key === 'examples' ? value : convert(value);
  }
  return converted.nullable === true ? nullable(converted) : converted;
}

function nullable(schema: Schema): Schema {
  const { nullable: _nullable, ...rest } = schema;
  const isReference = '$ref' in rest || COMPOSITIONS.some((keyword) => keyword in rest);
  if (isReference) {
    const annotations = Object.fromEntries(
      ANNOTATIONS.filter((k) => k in rest).map((k) => [k, rest[k]]),
    );
    const value = Object.fromEntries(
      Object.entries(rest).filter(([key]) => !ANNOTATIONS.includes(key) && key !== 'type'),
    );
    // A single reference in an allOf is that reference.
    const only = value.allOf && Object.keys(value).length === 1 ? (value.allOf as Schema[]) : [];
    const target = only.length === 1 ? only[0] : value;
    return { ...annotations, anyOf: [target, { type: 'null' }] };
  }
  if (typeof rest.type === 'string') {
    const withNull: Schema = { ...rest, type: [rest.type, 'null'] };
    if (Array.isArray(rest.enum) && !rest.enum.includes(null)) withNull.enum = [...rest.enum, null];
    return withNull;
  }
  return rest;
}
