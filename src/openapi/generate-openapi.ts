import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { OpenAPIObject } from '@nestjs/swagger';

/**
 * The environment the document is generated in. The committed document describes the whole API,
 * content module included: its routes exist on every server that has MONGODB_URI set, and a
 * client generated from the file should be able to call them. (A server without MongoDB serves
 * its own narrower `/docs-json`, as contract section 4 requires.) Preview mode instantiates no
 * provider, so neither this MongoDB URI nor the in-memory SQLite database is ever opened.
 * NODE_ENV=test makes ConfigModule skip `.env`: the document must not depend on a developer's
 * local settings.
 */
const DOCUMENT_ENVIRONMENT = {
  NODE_ENV: 'test',
  DATABASE_URL: 'sqlite::memory:',
  MONGODB_URI: 'mongodb://127.0.0.1:27017/openapi-preview',
  LOG_LEVEL: 'silent',
} as const;

/**
 * Builds the OpenAPI document from the app's module graph without starting a server or
 * connecting to any store (Nest's preview mode), through the same `buildOpenApiDocument` that
 * serves `/docs-json`. Run it from `dist` (`npm run openapi`): the Swagger CLI plugin, which
 * turns DTO types and JSDoc into schemas, runs in `nest build`, not under ts-node.
 */
export async function generateOpenApiDocument(): Promise<OpenAPIObject> {
  Object.assign(process.env, DOCUMENT_ENVIRONMENT);
  // Loaded only now: AppModule reads the environment when its file is first evaluated.
  const { AppModule } = await import('../app.module');
  const { buildOpenApiDocument } = await import('../app.setup');
  const { validateEnvironment } = await import('../config/environment');
  const { createHttpAdapter } = await import('../http-platform');
  // The app's own HTTP adapter, so that routes are described as the server registers them (the
  // document is the same on both platforms: test/http-platforms.e2e-spec.ts).
  const app = await NestFactory.create(
    AppModule,
    createHttpAdapter(validateEnvironment(process.env)),
    {
      preview: true,
      abortOnError: false,
      // Errors only: preview mode announces itself with a banner of warnings.
      logger: ['error'],
    },
  );
  try {
    return buildOpenApiDocument(app);
  } finally {
    await app.close();
  }
}

/** Writes `openapi.json` in the working directory (npm runs scripts at the repository root). */
async function main(): Promise<void> {
  const target = resolve(process.argv[2] ?? 'openapi.json');
  const document = await generateOpenApiDocument();
  writeFileSync(target, `${JSON.stringify(document, null, 2)}\n`);
  const operations = Object.values(document.paths).flatMap((item) => Object.keys(item)).length;
  console.log(`wrote ${target}: ${operations} operations`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  });
}
