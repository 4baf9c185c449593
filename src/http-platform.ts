import { BadRequestException, INestApplication } from '@nestjs/common';
import { AbstractHttpAdapter } from '@nestjs/core';
import { ExpressAdapter, NestExpressApplication } from '@nestjs/platform-express';
import type { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { IncomingMessage } from 'node:http';
import { EnvironmentVariables, trustProxySetting } from './config/environment';
import { parseQueryString } from './common/query-string';
import { assertSafeJsonBody, BODY_LIMIT_BYTES, parseJsonBody } from './common/request-body';

/**
 * The one file that knows which HTTP server runs under Nest. Express by default, the platform
 * the Nest docs teach and its middleware ecosystem expects; Fastify with HTTP_PLATFORM=fastify,
 * for its lower cost per request (BENCHMARKS.md). Everything else in src/ is platform-neutral
 * Nest code. What genuinely differs is set here, to one behaviour on both: how a query string
 * and a JSON body are read and limited, which proxies are trusted for the client's address,
 * no X-Powered-By.
 */
export type HttpPlatformSettings = Pick<EnvironmentVariables, 'HTTP_PLATFORM' | 'TRUST_PROXY'>;

export function createHttpAdapter(settings: HttpPlatformSettings): AbstractHttpAdapter {
  const trustProxy = trustProxySetting(settings.TRUST_PROXY);
  if (settings.HTTP_PLATFORM === 'fastify') return createFastifyAdapter(trustProxy);
  const adapter = new ExpressAdapter();
  adapter.set('query parser', parseQueryString);
  adapter.set('trust proxy', trustProxy);
  adapter.disable('x-powered-by');
  return adapter;
}

/** Loaded only when chosen: an Express process never loads Fastify. */
function createFastifyAdapter(trustProxy: boolean | number | string): FastifyAdapter {
  type FastifyPlatform = typeof import('@nestjs/platform-fastify');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand, see above
  const { FastifyAdapter } = require('@nestjs/platform-fastify') as FastifyPlatform;
  return new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy,
    routerOptions: {
      querystringParser: parseQueryString,
      // Slugs run to 255 characters; a malformed id is its pipe's 400, never the router's 404.
      maxParamLength: 2048,
      // As Express's router: `/posts/` is `/posts`.
      ignoreTrailingSlash: true,
    },
  });
}

/**
 * Body parsing, after the app's Node-level middleware (request id, log line, security headers),
 * so that a body refused by the parser still has them. JSON bodies only, at most
 * BODY_LIMIT_BYTES, checked by assertSafeJsonBody; a body of any other type is not read, and
 * validation answers for it.
 */
export function configureHttpPlatform(app: INestApplication): void {
  if (app.getHttpAdapter().getType() === 'fastify') {
    configureFastify(app as NestFastifyApplication);
  } else {
    configureExpress(app as NestExpressApplication);
  }
}

function configureExpress(app: NestExpressApplication): void {
  // Not `strict`: a JSON string or number is valid JSON, refused by assertSafeJsonBody as such.
  app.useBodyParser('json', { limit: BODY_LIMIT_BYTES, strict: false });
  app.use(checkJsonBody, refuseInvalidJson);
}

function checkJsonBody(
  req: IncomingMessage & { body?: unknown },
  _res: unknown,
  next: (error?: unknown) => void,
): void {
  try {
    assertSafeJsonBody(req.body);
  } catch (refused) {
    return next(refused);
  }
  next();
}

/**
 * Express's JSON parser's syntax error says which character was wrong (and quotes the body); the
 * contract's 400 says what is wrong. Its `PayloadTooLargeError` goes on to the exception filter,
 * which answers 413 from its status.
 */
function refuseInvalidJson(
  error: Error & { type?: string },
  _req: unknown,
  _res: unknown,
  next: (error?: unknown) => void,
): void {
  next(
    error.type === 'entity.parse.failed'
      ? new BadRequestException('request body is not valid JSON')
      : error,
  );
}

function configureFastify(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  // The route pattern (`/posts/:id`) for the request's log line, on Node's request where
  // Express's router leaves it (common/logging.ts). Fastify sends no X-Powered-By of its own.
  fastify.addHook('onRequest', (request, _reply, done) => {
    Object.assign(request.raw, { route: { path: request.routeOptions.url } });
    done();
  });
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'string' },
    (_request, body, done) => {
      try {
        done(null, parseJsonBody(body as string));
      } catch (refused) {
        done(refused as Error, undefined);
      }
    },
  );
  fastify.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, _body, done) =>
    done(null, undefined),
  );
}
