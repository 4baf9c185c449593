import { BadRequestException, INestApplication, ValidationPipe } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import {
  DocumentBuilder,
  OpenAPIObject,
  OperationObject,
  ReferenceObject,
  SchemaObject,
  SwaggerModule,
} from '@nestjs/swagger';
import helmet from 'helmet';
import { DataSource } from 'typeorm';
import { AllExceptionsFilter, errorBody } from './common/all-exceptions.filter';
import { noStoreWithCredentials } from './common/cache-control';
import { errorResponseObject } from './common/api-errors.decorator';
import { APP_LOGGER, requestLogger } from './common/logging';
import { refusePrototypeKeysInQuery } from './common/prototype-keys';
import { assignRequestId } from './common/request-id';
import { SECURITY_HEADERS } from './common/security-headers';
import { flattenValidationErrors } from './common/validation-errors';
import { appConfig, AppConfig } from './config/configuration';
import { toOpenApi31 } from './openapi/openapi-3-1';
import { configureHttpPlatform } from './http-platform';

/**
 * Global behaviour of the HTTP app, applied identically by main.ts and the end-to-end tests, on
 * either platform. First the Node-level middleware every response goes through, a refused body
 * or an unknown route included (`app.use` mounts it on Express and on Fastify alike): request id,
 * request log line, security headers, the query's key check, `no-store` for credentialed
 * requests. Then body parsing (http-platform.ts), validation, error
 * shape and Swagger.
 */
export function configureApp(app: INestApplication): void {
  app.use(assignRequestId);
  app.use(requestLogger(app.get(APP_LOGGER)));
  app.use(helmet(SECURITY_HEADERS));
  app.use(refusePrototypeKeysInQuery);
  app.use(noStoreWithCredentials);
  configureHttpPlatform(app);
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) =>
        new BadRequestException(errorBody(400, flattenValidationErrors(errors))),
    }),
  );
  app.useGlobalFilters(new AllExceptionsFilter(app.get(HttpAdapterHost), app.get(DataSource)));
  if (app.get<AppConfig>(appConfig.KEY).docsEnabled) setUpSwagger(app);
}

const API_TAGS: Record<string, string> = {
  auth: 'Log in for a bearer token, and who the token belongs to',
  users: 'Accounts with a one-to-one profile (relational)',
  posts: 'Posts with tags, slugs and drafts (relational)',
  comments: 'Comments on posts (relational)',
  tags: 'Normalised tag names shared by posts (relational)',
  content:
    'Free-form documents in MongoDB. These routes exist only on servers with MONGODB_URI set; ' +
    'elsewhere they are 404.',
  health: 'Whether every configured store answers',
};

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** What the decorators cannot say about an operation, because the app says it globally. */
function completeOperation(
  method: (typeof HTTP_METHODS)[number],
  operation: OperationObject,
): void {
  // The Swagger plugin marks a query DTO field without `?` as required even when it has a
  // default (`sort: string = '-createdAt'`); the server fills such a parameter in.
  for (const parameter of operation.parameters ?? []) {
    if ('in' in parameter && parameter.in === 'query' && hasDefault(parameter.schema)) {
      parameter.required = false;
    }
  }
  // Routes without @ApiBearerAuth() are the @Public() ones that ignore the caller (login,
  // registration, health, top authors): say explicitly that they need no token.
  operation.security ??= [];
  // Global guards answer these on any route, whatever its own decorators list: the JWT guard
  // 401 for an invalid token (public routes included), the write rate limit 429. And any route
  // may fail unexpectedly (500), or find a store it needs down (503).
  operation.responses['401'] ??= errorResponseObject(401);
  if (method !== 'get' && method !== 'head' && method !== 'options') {
    operation.responses['429'] ??= errorResponseObject(429);
  }
  operation.responses['500'] ??= errorResponseObject(500);
  operation.responses['503'] ??= errorResponseObject(503);
}

function hasDefault(schema: SchemaObject | ReferenceObject | undefined): boolean {
  return schema !== undefined && 'default' in schema && schema.default !== undefined;
}

/** `PostsController` + `findBySlug` -> `postsFindBySlug`: unique, stable, readable client names. */
function operationId(controllerKey: string, methodKey: string): string {
  const controller = controllerKey.replace(/Controller$/, '');
  const method = methodKey.charAt(0).toUpperCase() + methodKey.slice(1);
  return controller.charAt(0).toLowerCase() + controller.slice(1) + method;
}

/**
 * The OpenAPI document of the routes this app has mounted: served at `/docs-json` and written to
 * `openapi.json` by `npm run openapi` (src/openapi/generate-openapi.ts).
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Blog API')
    .setDescription(
      'A NestJS + TypeORM reference API: users with profiles, posts, comments and tags on ' +
        'SQLite, PostgreSQL or MariaDB, and an optional MongoDB content module. ' +
        'Errors share one shape: `{ statusCode, error, message }`. Request bodies are JSON ' +
        'objects or arrays of at most 1 MB (else 413), nested at most 64 levels, with at most ' +
        '1,000 keys or items in one object or array and 20,000 in all (else 400).',
    )
    .setVersion('1.0')
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    // Relative: "Try it out" calls the server that serves the document, on whatever port.
    .addServer('/', 'The server that serves this document')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  const document = toOpenApi31(
    SwaggerModule.createDocument(app, config, { operationIdFactory: operationId }),
  );

  const operations = Object.values(document.paths).flatMap((pathItem) =>
    HTTP_METHODS.flatMap((method) => {
      const operation = pathItem[method];
      return operation ? [{ method, operation }] : [];
    }),
  );
  for (const { method, operation } of operations) completeOperation(method, operation);
  // Only the tags of mounted routes: without MONGODB_URI, nothing mentions content (section 4).
  const usedTags = new Set(operations.flatMap(({ operation }) => operation.tags ?? []));
  document.tags = Object.entries(API_TAGS)
    .filter(([name]) => usedTags.has(name))
    .map(([name, description]) => ({ name, description }));
  return document;
}

function setUpSwagger(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    swaggerOptions: { persistAuthorization: true },
  });
}
